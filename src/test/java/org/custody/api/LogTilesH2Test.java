package org.custody.api;

import org.custody.support.TestDatabase;

class LogTilesH2Test extends LogTilesContract {
    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
