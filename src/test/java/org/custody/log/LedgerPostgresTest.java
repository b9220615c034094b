package org.custody.log;

import org.custody.support.TestDatabase;

class LedgerPostgresTest extends LedgerContract {
    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
