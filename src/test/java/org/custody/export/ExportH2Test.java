package org.custody.export;

import org.custody.support.TestDatabase;

class ExportH2Test extends ExportContract {
    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
