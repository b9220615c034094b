package org.custody.audit;

import org.custody.support.TestDatabase;

class TamperPostgresTest extends TamperContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRES;
    }
}
