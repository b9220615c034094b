package org.custody.api;

import org.custody.support.TestDatabase;

class LogApiPostgresTest extends LogApiContract {
    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
