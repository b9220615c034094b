package org.custody.export;

import org.custody.support.TestDatabase;

class ExportPostgresTest extends ExportContract {
    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
