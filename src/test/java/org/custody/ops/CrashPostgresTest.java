package org.custody.ops;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.custody.support.TestDatabase;

class CrashPostgresTest extends CrashContract {
    private final Map<Path, TestDatabase> databases = new HashMap<>();

    @Override
    Map<String, String> databaseEnvironment(Path directory) {
        TestDatabase database = database(directory);
        return Map.of("CUSTODY_DB_DRIVER", database.driverClass(), "CUSTODY_DB_URL", database.url(),
                "CUSTODY_DB_USER", database.user(), "CUSTODY_DB_PASSWORD", database.password());
    }

    @Override
    TestDatabase database(Path directory) {
        return databases.computeIfAbsent(directory, ignored -> TestDatabase.fresh(TestDatabase.Kind.POSTGRES));
    }
}
