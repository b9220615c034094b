package org.custody.access;

import org.custody.support.TestDatabase;

class SessionsKeptPostgresTest extends SessionsKeptContract {
    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
