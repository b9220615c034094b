package org.custody.api;

import org.custody.support.TestDatabase;

class ConcurrentWritesH2Test extends ConcurrentWritesContract {
    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
