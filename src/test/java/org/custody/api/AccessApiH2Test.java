package org.custody.api;

import org.custody.support.TestDatabase;

class AccessApiH2Test extends AccessApiContract {
    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
