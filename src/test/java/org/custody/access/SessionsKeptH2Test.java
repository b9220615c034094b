package org.custody.access;

import org.custody.support.TestDatabase;

class SessionsKeptH2Test extends SessionsKeptContract {
    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
