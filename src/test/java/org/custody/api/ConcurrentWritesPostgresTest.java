package org.custody.api;

import org.custody.support.TestDatabase;

class ConcurrentWritesPostgresTest extends ConcurrentWritesContract {
    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
