package org.custody.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.custody.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The plain JDBC query the hottest reads use: named parameters bound as JDBI binds them, on H2 and PostgreSQL. */
class PlainQueryTest {
    private static final UUID FIRST = UUID.fromString("018f0000-0000-7000-8000-000000000001");
    private static final UUID SECOND = UUID.fromString("018f0000-0000-7000-8000-000000000002");
    private static final Instant NOON = Instant.parse("2026-10-27T12:00:00Z");

    record Row(UUID id, String name, long number) {}

    private static final PlainQuery<Row> MATCHING = new PlainQuery<>("""
            SELECT id, name, number FROM plain_row
            WHERE id = :id AND name = :name AND number = :number AND flag = :flag AND seen_at > :since AND token = :token
              AND (:flag OR id = :id)""", rs -> new Row(rs.getObject("id", UUID.class), rs.getString("name"), rs.getLong("number")));

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void findsTheRowOnlyWhenEveryNamedParameterMatches(TestDatabase.Kind kind) throws Exception {
        ManagedDataSource dataSource = twoRows(kind);
        try {
            Map<String, Object> first = Map.of("id", FIRST, "name", "first", "number", 1L, "flag", true,
                    "since", NOON.minusSeconds(1), "token", new byte[] {1, 2, 3});
            assertThat(MATCHING.findOne(dataSource, first)).contains(new Row(FIRST, "first", 1));

            // each parameter bound where its name stands: any one of them changed and the row is not found
            assertThat(MATCHING.findOne(dataSource, Map.of("id", SECOND), first)).as("the first map that has a name gives its value").isEmpty();
            assertThat(MATCHING.findOne(dataSource, Map.of("name", "second"), first)).isEmpty();
            assertThat(MATCHING.findOne(dataSource, Map.of("number", 2L), first)).isEmpty();
            assertThat(MATCHING.findOne(dataSource, Map.of("flag", false), first)).isEmpty();
            assertThat(MATCHING.findOne(dataSource, Map.of("since", NOON), first)).as("an instant bound as a timestamp, to the second").isEmpty();
            assertThat(MATCHING.findOne(dataSource, Map.of("token", new byte[] {1, 2, 4}), first)).isEmpty();

            assertThat(MATCHING.findOne(dataSource, Map.of("id", SECOND, "name", "second", "number", 2L, "flag", false,
                    "since", NOON.minusSeconds(3601), "token", new byte[] {4, 5, 6}))).contains(new Row(SECOND, "second", 2));
        } finally {
            dataSource.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void moreThanOneRowIsAFailureNotTheFirstOfThem(TestDatabase.Kind kind) throws Exception {
        ManagedDataSource dataSource = twoRows(kind);
        try {
            PlainQuery<UUID> any = new PlainQuery<>("SELECT id FROM plain_row WHERE number > :number", rs -> rs.getObject("id", UUID.class));
            assertThat(any.findOne(dataSource, Map.of("number", 1))).contains(SECOND);
            assertThatThrownBy(() -> any.findOne(dataSource, Map.of("number", 0))).isInstanceOf(IllegalStateException.class)
                    .hasMessage("expected one row at most, found more");
        } finally {
            dataSource.stop();
        }
    }

    @Test
    void aDatabaseFailureKeepsTheDriversExceptionAsItsCauseAndTellsAnUnavailableDatabaseApart() throws Exception {
        PlainQuery<UUID> query = new PlainQuery<>("SELECT id FROM plain_row WHERE number = :number", rs -> rs.getObject("id", UUID.class));
        PlainQuery<UUID> broken = new PlainQuery<>("SELECT id FROM no_such_table WHERE number = :number", rs -> rs.getObject("id", UUID.class));
        ManagedDataSource dataSource = twoRows(TestDatabase.Kind.H2);
        try {
            assertThatThrownBy(() -> broken.findOne(dataSource, Map.of("number", 1))).isInstanceOf(PlainQuery.QueryFailedException.class)
                    .hasCauseInstanceOf(java.sql.SQLException.class)
                    .satisfies(failure -> assertThat(Failures.databaseUnavailable(failure)).as("a bug, not an outage").isFalse());
        } finally {
            dataSource.stop();
        }
        ManagedDataSource nowhere = dataSource(new TestDatabase(TestDatabase.Kind.POSTGRES, "org.postgresql.Driver",
                "jdbc:postgresql://127.0.0.1:9/custody?connectTimeout=2", "custody", "invented"));
        try {
            assertThatThrownBy(() -> query.findOne(nowhere, Map.of("number", 1))).isInstanceOf(PlainQuery.QueryFailedException.class)
                    .satisfies(failure -> assertThat(Failures.databaseUnavailable(failure)).as("no server there: unavailable").isTrue());
        } finally {
            nowhere.stop();
        }
    }

    @Test
    void namedParametersBecomePositionalAndWhatTheParserCannotReadIsRefused() {
        assertThat(new PlainQuery<>("SELECT 1 FROM t WHERE a = :a AND b = :viewer.at_1 AND c=:a", rs -> 1).sql())
                .isEqualTo("SELECT 1 FROM t WHERE a = ? AND b = ? AND c=?");
        assertThatThrownBy(() -> new PlainQuery<>("SELECT 1 FROM t WHERE a = ':a'", rs -> 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("quoted text or names are not supported in a plain query");
        assertThatThrownBy(() -> new PlainQuery<>("SELECT CAST(a AS TEXT)::TEXT FROM t", rs -> 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a colon that does not start a parameter's name, at 22");
        assertThatThrownBy(() -> new PlainQuery<>("SELECT 1 FROM t WHERE a = :1", rs -> 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aValueItCannotBindOrAMissingOneFailsBeforeTheDatabaseIsAsked() throws Exception {
        ManagedDataSource dataSource = twoRows(TestDatabase.Kind.H2);
        PlainQuery<UUID> query = new PlainQuery<>("SELECT id FROM plain_row WHERE number = :number", rs -> rs.getObject("id", UUID.class));
        try {
            assertThatThrownBy(() -> query.findOne(dataSource, Map.of("other", 1))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no value for the parameter number");
            assertThatThrownBy(() -> query.findOne(dataSource, Map.of("number", Optional.of(1)))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a plain query does not bind Optional");
        } finally {
            dataSource.stop();
        }
    }

    private static ManagedDataSource twoRows(TestDatabase.Kind kind) throws Exception {
        TestDatabase database = TestDatabase.fresh(kind);
        database.execute("""
                CREATE TABLE plain_row (id UUID PRIMARY KEY, name VARCHAR(20) NOT NULL, number BIGINT NOT NULL, flag BOOLEAN NOT NULL,
                                        seen_at TIMESTAMP WITH TIME ZONE NOT NULL, token BYTEA NOT NULL)""".replace("BYTEA", kind == TestDatabase.Kind.H2 ? "VARBINARY(32)" : "BYTEA"));
        database.execute("INSERT INTO plain_row VALUES ('" + FIRST + "', 'first', 1, TRUE, TIMESTAMP WITH TIME ZONE '2026-10-27 12:00:00+00', X'010203')"
                .replace("X'010203'", kind == TestDatabase.Kind.H2 ? "X'010203'" : "'\\x010203'::bytea"));
        database.execute("INSERT INTO plain_row VALUES ('" + SECOND + "', 'second', 2, FALSE, TIMESTAMP WITH TIME ZONE '2026-10-27 11:00:00+00', X'040506')"
                .replace("X'040506'", kind == TestDatabase.Kind.H2 ? "X'040506'" : "'\\x040506'::bytea"));
        return dataSource(database);
    }

    private static ManagedDataSource dataSource(TestDatabase database) {
        DataSourceFactory factory = new DataSourceFactory();
        factory.setDriverClass(database.driverClass());
        factory.setUrl(database.url());
        factory.setUser(database.user());
        factory.setPassword(database.password());
        factory.setInitialSize(1);
        factory.setMinSize(1);
        return factory.build(new MetricRegistry(), "plain-query-test");
    }
}
