package org.custody.audit;

import org.custody.support.TestDatabase;

class TamperH2Test extends TamperContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.H2;
    }
}
