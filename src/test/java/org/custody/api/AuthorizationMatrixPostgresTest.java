package org.custody.api;

import org.custody.support.TestDatabase;

class AuthorizationMatrixPostgresTest extends AuthorizationMatrixContract {
    @Override
    TestDatabase.Kind database() {
        return TestDatabase.Kind.POSTGRES;
    }
}
