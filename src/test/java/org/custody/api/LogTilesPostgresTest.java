package org.custody.api;

import org.custody.support.TestDatabase;

class LogTilesPostgresTest extends LogTilesContract {
    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
