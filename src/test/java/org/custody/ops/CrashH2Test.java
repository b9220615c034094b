package org.custody.ops;

import java.nio.file.Path;
import java.util.Map;
import org.custody.support.TestDatabase;

/** The embedded default exactly as config.yml ships it: H2 under ./data of the service's working directory. */
class CrashH2Test extends CrashContract {
    @Override
    Map<String, String> databaseEnvironment(Path directory) {
        return Map.of();
    }

    @Override
    TestDatabase database(Path directory) {
        return new TestDatabase(TestDatabase.Kind.H2, "org.h2.Driver", "jdbc:h2:file:" + directory.resolve("data/custody") + ";LOCK_TIMEOUT=10000",
                "custody", "");
    }
}
