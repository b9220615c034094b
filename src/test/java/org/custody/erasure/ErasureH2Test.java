package org.custody.erasure;

import org.custody.support.TestDatabase;

class ErasureH2Test extends ErasureContract {
    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
