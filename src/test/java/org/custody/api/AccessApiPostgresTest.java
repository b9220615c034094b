package org.custody.api;

import org.custody.support.TestDatabase;

class AccessApiPostgresTest extends AccessApiContract {
    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
