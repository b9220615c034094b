package org.custody.api;

import org.custody.support.TestDatabase;

class SlowBodiesPostgresTest extends SlowBodiesContract {
    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
