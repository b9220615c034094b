package org.custody.api;

import org.custody.support.TestDatabase;

class BadInputPostgresTest extends BadInputContract {
    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
