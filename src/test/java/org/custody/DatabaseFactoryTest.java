package org.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool the configuration's {@code database:} block builds: the driver's own statements and result sets, no proxies;
 * an embedded H2 database that keeps no trace file of the values its failures quote.
 */
class DatabaseFactoryTest {
    @Test
    void theShippedConfigurationBuildsThePoolWithoutTheStatementFacade() throws Exception {
        CustodyConfiguration config = shippedConfiguration();
        assertThat(config.getDatabase()).isInstanceOf(DatabaseFactory.class);

        config.getDatabase().setDriverClass("org.h2.Driver");
        config.getDatabase().setUrl("jdbc:h2:mem:database-factory");
        config.getDatabase().setUser("sa");
        ManagedDataSource dataSource = config.getDatabase().build(new MetricRegistry(), "test");
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT 'row'");
             ResultSet rows = statement.executeQuery()) {
            assertThat(Proxy.isProxyClass(statement.getClass())).as("statement %s", statement.getClass()).isFalse();
            assertThat(Proxy.isProxyClass(rows.getClass())).as("result set %s", rows.getClass()).isFalse();
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("row");
            // the connection itself stays wrapped, so that one handed back cannot be used
            assertThat(Proxy.isProxyClass(connection.getClass())).isTrue();
        } finally {
            dataSource.stop();
        }
    }

    @Test
    void theEmbeddedDatabaseKeepsNoTraceOfTheValuesItRefuses(@TempDir Path directory) throws Exception {
        CustodyConfiguration config = shippedConfiguration();
        config.getDatabase().setUrl("jdbc:h2:file:" + directory.resolve("custody") + ";WRITE_DELAY=0;MAX_COMPACT_TIME=0");
        config.getDatabase().setUser("sa");
        String invented = "Vardan Invented-Traceson";
        ManagedDataSource dataSource = config.getDatabase().build(new MetricRegistry(), "test");
        try (Connection connection = dataSource.getConnection()) {
            connection.createStatement().execute("CREATE TABLE person (full_name VARCHAR(8))");
            PreparedStatement insert = connection.prepareStatement("INSERT INTO person (full_name) VALUES (?)");
            insert.setString(1, invented);
            // H2's message quotes the value; with a trace file, so would the file beside the database
            SQLException refused = catchThrowableOfType(SQLException.class, () -> insert.executeUpdate());
            assertThat(refused.getMessage()).contains(invented);
        } finally {
            dataSource.stop();
        }
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(file -> file.getFileName().toString())).contains("custody.mv.db").noneMatch(name -> name.endsWith(".trace.db"));
        }
    }

    /** config.yml read as the jar reads it: ${NAME:-default} replaced from the environment (here, the defaults). */
    private static CustodyConfiguration shippedConfiguration() throws Exception {
        return new YamlConfigurationFactory<>(CustodyConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
                .build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)), "config.yml");
    }
}
