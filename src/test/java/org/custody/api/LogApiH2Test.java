package org.custody.api;

import org.custody.support.TestDatabase;

class LogApiH2Test extends LogApiContract {
    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
