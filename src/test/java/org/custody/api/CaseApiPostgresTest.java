package org.custody.api;

import org.custody.support.TestDatabase;

class CaseApiPostgresTest extends CaseApiContract {
    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
