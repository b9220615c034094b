package org.custody.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.migrations.CloseableLiquibaseWithClassPathMigrationsFile;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import liquibase.changelog.ChangeSet;
import org.custody.Core;
import org.custody.Migrations;
import org.custody.access.Caller;
import org.custody.access.NewUser;
import org.custody.access.Role;
import org.custody.access.Sessions;
import org.custody.access.User;
import org.custody.audit.LogVerifier;
import org.custody.log.Actor;
import org.custody.support.InventedCases;
import org.custody.support.TempDirectories;
import org.custody.support.TestConfigs;
import org.custody.support.TestDatabase;
import org.custody.web.Json;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Migration 006 moves the log's unfinished tiles, which earlier versions kept as one row of {@code log_tile} rewritten
 * by every batch, into {@code log_tile_part}. A database as those versions left it (the same log, its unfinished tiles
 * joined back into {@code log_tile}, schema up to 005) is migrated; the tree must then verify, and the service must
 * carry on appending to the moved tiles, filling them, with the log still verifying.
 */
class TilePartsMigrationTest {
    private static final String FIRST_CHANGE_OF_006 = "006-";
    private static final List<String> REFERRED_TO = List.of("users", "cases", "evidence", "exports");
    // log_truncate_guard (007) holds no row and is not in the schema before 006; second_factor_key (012) is not a record
    // but which key the deployment uses, recorded again by the first start after the upgrade
    private static final List<String> NOT_COPIED = List.of("databasechangelog", "databasechangeloglock", "log_tile", "log_tile_part", "log_head",
            "log_truncate_guard", "second_factor_key");

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aLogWrittenBeforeTilePartsIsMovedIntoPartsAndKeepsGrowing(TestDatabase.Kind kind) throws Exception {
        Path dataDirectory = TempDirectories.create("custody-migration");
        try {
            TestDatabase current = TestDatabase.fresh(kind);
            Core writer = TestConfigs.startCore(current, dataDirectory, Clock.systemUTC());
            Actor actor;
            try {
                User user = writer.users().create(Actor.SYSTEM, new NewUser("migrating", "Migrating", "a long test password", EnumSet.of(Role.CASE_WORKER)))
                        .value();
                // past the one-time password, whose expiry (013) the copy into the schema before 006 would leave behind
                Sessions sessions = writer.sessions();
                Caller first = sessions.authenticate(sessions.signIn("migrating", "a long test password".toCharArray(), null, "192.0.2.1").value().token())
                        .orElseThrow();
                writer.ownPassword().change(first, "a long test password".toCharArray(), "the worker's own long password");
                actor = new Actor(user.id(), user.username());
                InventedCases.createConcurrently(writer, actor, 300);
            } finally {
                writer.stop();
            }
            assertThat(count(current, "SELECT COUNT(*) FROM log_tile_part")).as("the log has unfinished tiles in parts").isPositive();

            TestDatabase old = TestDatabase.fresh(kind);
            migrateBefore006(old);
            copyAsBefore006(current, old);
            assertThat(count(old, "SELECT COUNT(*) FROM log_tile WHERE OCTET_LENGTH(hashes) < 8192")).as("unfinished tiles, the old way").isPositive();

            Migrations.apply(TestConfigs.forDatabase(old, dataDirectory).getDatabase(), new MetricRegistry());
            assertThat(count(old, "SELECT COUNT(*) FROM log_tile WHERE OCTET_LENGTH(hashes) < 8192")).isZero();
            assertThat(count(old, "SELECT COUNT(*) FROM log_tile_part")).isEqualTo(count(old, "SELECT COUNT(DISTINCT tile_level * 1000000 + tile_index) FROM log_tile_part"));
            assertThat(verify(old)).as("the migrated log").isEmpty();

            Core carryingOn = TestConfigs.startCore(old, dataDirectory, Clock.systemUTC());
            try {
                InventedCases.createConcurrently(carryingOn, actor, 300);
            } finally {
                carryingOn.stop();
            }
            assertThat(count(old, "SELECT MAX(tile_index) FROM log_tile WHERE tile_level = 0")).as("the moved tile filled up and more followed").isGreaterThanOrEqualTo(1);
            assertThat(verify(old)).as("the migrated log, grown").isEmpty();
        } finally {
            TempDirectories.delete(dataDirectory);
        }
    }

    /** Applies the changelog up to, not including, migration 006. */
    private static void migrateBefore006(TestDatabase database) throws Exception {
        try (CloseableLiquibaseWithClassPathMigrationsFile liquibase = new CloseableLiquibaseWithClassPathMigrationsFile(
                TestConfigs.forDatabase(database, Path.of("unused")).getDatabase().build(new MetricRegistry(), "before-006"), Migrations.CHANGELOG)) {
            List<ChangeSet> pending = liquibase.listUnrunChangeSets(new liquibase.Contexts(), new liquibase.LabelExpression());
            int before006 = 0;
            while (!pending.get(before006).getId().startsWith(FIRST_CHANGE_OF_006)) {
                before006++;
            }
            liquibase.update(before006, "");
        }
    }

    /**
     * Copies every row of {@code from} into {@code to} (schema 005), with each unfinished tile's parts joined into one
     * row of {@code log_tile}, as the versions before 006 stored it.
     */
    private static void copyAsBefore006(TestDatabase from, TestDatabase to) throws Exception {
        try (Connection source = connect(from); Connection target = connect(to)) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = source.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    String schema = rs.getString("TABLE_SCHEM");
                    String table = rs.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT);
                    if (schema.equalsIgnoreCase("public") && !NOT_COPIED.contains(table)) {
                        tables.add(table);
                    }
                }
            }
            // the tables others refer to first
            tables.sort(java.util.Comparator.comparing((String table) -> !REFERRED_TO.contains(table)).thenComparing(REFERRED_TO::indexOf));
            for (String table : tables) {
                copy(source, target, "SELECT * FROM " + table, table);
            }
            copy(source, target, "SELECT * FROM log_tile", "log_tile");
            try (Statement parts = source.createStatement();
                 ResultSet rs = parts.executeQuery("SELECT tile_level, tile_index, hashes FROM log_tile_part ORDER BY tile_level, tile_index, first_hash");
                 PreparedStatement insert = target.prepareStatement("INSERT INTO log_tile (tile_level, tile_index, hashes) VALUES (?, ?, ?)")) {
                List<Object[]> joined = new ArrayList<>();
                while (rs.next()) {
                    Object[] last = joined.isEmpty() ? null : joined.get(joined.size() - 1);
                    if (last == null || (int) last[0] != rs.getInt(1) || (long) last[1] != rs.getLong(2)) {
                        joined.add(last = new Object[] {rs.getInt(1), rs.getLong(2), new ByteArrayOutputStream()});
                    }
                    ((ByteArrayOutputStream) last[2]).write(rs.getBytes(3));
                }
                for (Object[] tile : joined) {
                    insert.setInt(1, (int) tile[0]);
                    insert.setLong(2, (long) tile[1]);
                    insert.setBytes(3, ((ByteArrayOutputStream) tile[2]).toByteArray());
                    insert.executeUpdate();
                }
            }
            try (Statement head = source.createStatement(); ResultSet rs = head.executeQuery("SELECT size, root FROM log_head WHERE id = 1");
                 PreparedStatement update = target.prepareStatement("UPDATE log_head SET size = ?, root = ? WHERE id = 1")) {
                rs.next();
                update.setLong(1, rs.getLong(1));
                update.setBytes(2, rs.getBytes(2));
                update.executeUpdate();
            }
        }
    }

    /**
     * Copies the rows {@code select} reads into {@code table}, in the columns the old schema has: a column of a later
     * migration (case_grant.reason, 008; evidence.sha256, 010; cases.erasure_proposal, 011) is added and filled by
     * that migration when the copy is migrated.
     */
    private static void copy(Connection source, Connection target, String select, String table) throws Exception {
        java.util.Set<String> oldColumns = new java.util.HashSet<>();
        try (ResultSet rs = target.getMetaData().getColumns(null, null, "%", "%")) {
            while (rs.next()) {
                if (rs.getString("TABLE_NAME").equalsIgnoreCase(table)) {
                    oldColumns.add(rs.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        try (Statement statement = source.createStatement(); ResultSet rs = statement.executeQuery(select)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<Integer> copied = new ArrayList<>();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                String column = meta.getColumnName(i).toLowerCase(java.util.Locale.ROOT);
                if (oldColumns.contains(column)) {
                    copied.add(i);
                    columns.add(column);
                }
            }
            if (columns.isEmpty()) {
                // a table of a later migration (log_erasure, 009): empty in these tests, and nothing to copy it into
                assertThat(rs.next()).as("rows in " + table + ", which the schema before 006 lacks").isFalse();
                return;
            }
            String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + "?, ".repeat(columns.size() - 1) + "?)";
            try (PreparedStatement rows = target.prepareStatement(insert)) {
                while (rs.next()) {
                    for (int i = 0; i < copied.size(); i++) {
                        rows.setObject(i + 1, rs.getObject(copied.get(i)));
                    }
                    rows.executeUpdate();
                }
            }
        }
    }

    private static Connection connect(TestDatabase database) throws Exception {
        return DriverManager.getConnection(database.url(), database.user(), database.password());
    }

    private static long count(TestDatabase database, String sql) throws Exception {
        try (Connection connection = connect(database); Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> verify(TestDatabase database) {
        Jdbi jdbi = Jdbi.create(database.url(), database.user(), database.password()).installPlugin(new SqlObjectPlugin());
        return new LogVerifier(jdbi, Json.configure(Jackson.newObjectMapper()), "custody.test/log").verify(Optional.empty()).problems();
    }
}
