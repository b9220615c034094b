package org.custody.api;

import org.custody.support.TestDatabase;

class SlowBodiesH2Test extends SlowBodiesContract {
    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
