package org.custody.api;

import org.custody.support.TestDatabase;

class CaseApiH2Test extends CaseApiContract {
    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
