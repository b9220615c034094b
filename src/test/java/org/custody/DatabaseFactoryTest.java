package org.custody;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/** The pool the configuration's {@code database:} block builds: the driver's own statements and result sets, no proxies. */
class DatabaseFactoryTest {
    @Test
    void theShippedConfigurationBuildsThePoolWithoutTheStatementFacade() throws Exception {
        // read as the jar reads it: ${NAME:-default} replaced from the environment (here, the defaults)
        CustodyConfiguration config = new YamlConfigurationFactory<>(CustodyConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
                .build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)), "config.yml");
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
}
