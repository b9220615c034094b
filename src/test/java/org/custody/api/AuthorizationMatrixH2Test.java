package org.custody.api;

import org.custody.support.TestDatabase;

class AuthorizationMatrixH2Test extends AuthorizationMatrixContract {
    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.H2;
    }
}
