package org.custody.erasure;

import org.custody.support.TestDatabase;

class ErasurePostgresTest extends ErasureContract {
    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
