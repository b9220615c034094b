package org.custody.api;

import org.custody.support.TestDatabase;

class BadInputH2Test extends BadInputContract {
    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
