package org.custody.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.time.Clock;
import org.custody.Core;
import org.custody.CustodyConfiguration;
import org.custody.web.Json;

/** Configurations built in code, for tests that use the core without the HTTP server. */
public final class TestConfigs {
    private TestConfigs() {}

    /** A configuration for a data directory and a test database. */
    public static CustodyConfiguration forDatabase(TestDatabase database, Path dataDirectory) {
        CustodyConfiguration config = withDataDirectory(dataDirectory);
        config.getDatabase().setDriverClass(database.driverClass());
        config.getDatabase().setUrl(database.url());
        config.getDatabase().setUser(database.user());
        config.getDatabase().setPassword(database.password());
        return config;
    }

    /** The service's core on a test database, started (no HTTP server), with the given clock. */
    public static Core startCore(TestDatabase database, Path dataDirectory, Clock clock) throws Exception {
        Core core = Core.build(forDatabase(database, dataDirectory), Json.configure(Jackson.newObjectMapper()), Validators.newValidator(),
                new MetricRegistry(), clock);
        core.start();
        return core;
    }

    /**
     * A {@code config.yml} in {@code directory} for the jar's commands, as an operator writes one: the data directory
     * beside it, the embedded H2 database at {@code h2Url}, the test log's origin.
     */
    public static Path commandConfig(Path directory, String h2Url) throws IOException {
        Files.createDirectories(directory);
        return Files.writeString(directory.resolve("config.yml"), """
                dataDirectory: %s/data
                database:
                  driverClass: org.h2.Driver
                  url: %s
                  user: sa
                  password: ""
                log:
                  origin: custody.test/log
                logging:
                  level: WARN
                """.formatted(directory, h2Url));
    }

    public static CustodyConfiguration withDataDirectory(Path dataDirectory) {
        ObjectNode node = new ObjectMapper().createObjectNode();
        node.put("dataDirectory", dataDirectory.toString());
        node.putObject("log").put("origin", "custody.test/log");
        try {
            return io.dropwizard.jackson.Jackson.newObjectMapper().treeToValue(node, CustodyConfiguration.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
