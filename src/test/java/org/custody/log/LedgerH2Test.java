package org.custody.log;

import org.custody.support.TestDatabase;

class LedgerH2Test extends LedgerContract {
    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
