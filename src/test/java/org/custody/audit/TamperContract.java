package org.custody.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.custody.Core;
import org.custody.CustodyConfiguration;
import org.custody.access.Caller;
import org.custody.access.NewUser;
import org.custody.access.Role;
import org.custody.access.SessionScope;
import org.custody.access.Sessions;
import org.custody.access.Totp;
import org.custody.access.User;
import org.custody.access.Viewer;
import org.custody.cases.CaseDetails;
import org.custody.cases.CaseDocuments;
import org.custody.cases.CaseRecord;
import org.custody.cases.CaseStatus;
import org.custody.cases.Category;
import org.custody.cases.NewStatusChange;
import org.custody.common.InvalidInputException;
import org.custody.common.PartialDate;
import org.custody.erasure.Erasure;
import org.custody.erasure.ErasureProposal;
import org.custody.erasure.ErasureRequest;
import org.custody.erasure.PendingErasure;
import org.custody.evidence.CustodyAction;
import org.custody.evidence.EvidenceItem;
import org.custody.evidence.NewCustodyEvent;
import org.custody.log.Actor;
import org.custody.log.AppendOnlyDefence;
import org.custody.log.AppendOnlyTrigger;
import org.custody.log.Change;
import org.custody.log.LogAction;
import org.custody.log.LogEvent;
import org.custody.log.Recorded;
import org.custody.log.Subject;
import org.custody.log.signing.Checkpoint;
import org.custody.log.signing.LogSigner;
import org.custody.log.signing.SignedNote;
import org.custody.log.tree.TileStorage;
import org.custody.log.tree.TreeEdge;
import org.custody.log.tree.TreeHash;
import org.custody.support.TempDirectories;
import org.custody.support.TestConfigs;
import org.custody.support.TestDatabase;
import org.custody.web.Json;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Someone with full access to the database edits it behind the service's back (the append-only triggers switched
 * off, as its administrator could). verify-log must report each edit; the untouched log must pass.
 */
abstract class TamperContract {
    static final String ORIGIN = "custody.test/log";
    Core core;
    java.nio.file.Path dataDirectory;
    TestDatabase database;
    ObjectMapper mapper;
    Actor worker;
    Viewer viewer;
    CaseRecord firstCase;
    CaseRecord lastCase;

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void writeALog() throws Exception {
        database = TestDatabase.fresh(kind());
        dataDirectory = TempDirectories.create("custody-tamper");
        CustodyConfiguration config = TestConfigs.forDatabase(database, dataDirectory);
        mapper = Json.configure(Jackson.newObjectMapper());
        core = Core.build(config, mapper, Validators.newValidator(), new MetricRegistry(), Clock.systemUTC());
        core.start();
        User user = core.users().create(Actor.SYSTEM, new NewUser("worker", "Worker", "a long test password", EnumSet.of(Role.CASE_WORKER))).value();
        worker = new Actor(user.id(), user.username());
        viewer = Viewer.caseWorker(user.id(), java.time.Instant.now());
        // the worker turns a second factor on, as anyone may
        Caller caller = new Caller(user, java.util.UUID.randomUUID(), SessionScope.FULL, java.time.Instant.now());
        byte[] secret = Totp.fromBase32(core.secondFactor().begin(caller).value().secret());
        core.secondFactor().confirm(caller, Totp.code(secret, Totp.step(java.time.Instant.now()), "HmacSHA1", 6));
        firstCase = core.cases().create(worker, person("Արամ Վարդանյան")).value();
        core.cases().edit(worker, viewer, firstCase.id(), 1, mapper.readTree("{\"summary\":\"edited\",\"reason\":\"test\"}"));
        ObjectNode evidence = JsonNodeFactory.instance.objectNode().put("kind", "PHOTO").put("title", "photo").put("sha256", "ab".repeat(32));
        evidence.putArray("caseIds").add(firstCase.id().toString());
        EvidenceItem item = core.evidence().add(worker, viewer, evidence).value();
        core.evidence().recordCustodyEvent(worker, viewer, item.id(), new NewCustodyEvent(CustodyAction.RECEIVED, java.time.Instant.parse("2021-01-01T00:00:00Z"), null));
        core.cases().changeStatus(worker, viewer, firstCase.id(), new NewStatusChange(CaseStatus.DETENTION_CONFIRMED, PartialDate.exact("2021"), null, List.of(item.id())));
        core.evidence().edit(worker, viewer, item.id(), 1, mapper.readTree("{\"verificationStatus\":\"VERIFIED\",\"description\":null,\"reason\":\"checked\"}"));
        CaseRecord secondCase = core.cases().create(worker, person("Сергей Мельников")).value();
        core.evidence().link(worker, viewer, item.id(), secondCase.id());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        List<java.util.concurrent.Future<?>> writes = new java.util.ArrayList<>();
        for (int i = 0; i < 298; i++) {
            String name = "Person " + i;
            writes.add(pool.submit(() -> core.cases().create(worker, person(name))));
        }
        for (java.util.concurrent.Future<?> write : writes) {
            write.get();
        }
        pool.shutdown();
        core.cases().create(worker, person("Person 298"));
        lastCase = core.cases().create(worker, person("Person 299")).value();
    }

    @AfterEach
    void stop() throws Exception {
        core.stop();
        TempDirectories.delete(dataDirectory);
    }

    static CaseDetails person(String name) {
        return new CaseDetails(new CaseDetails.Person(name, null, List.of(), null, null, null, null), Category.UNKNOWN, null, null, null, null);
    }

    Findings verify() {
        return verify(Optional.empty());
    }

    Findings verify(Optional<String> kept) {
        return new LogVerifier(core.jdbi(), mapper, ORIGIN).verify(kept);
    }

    /** Runs statements as a database administrator would, with the log's triggers switched off. */
    void tamper(String... statements) {
        asAdministrator(handle -> {
            for (String statement : statements) {
                handle.execute(statement);
            }
        });
    }

    /**
     * Edits the database with the log's triggers switched off, and switches them on again after, as a careful
     * administrator would (verify-log reports a defence left off, see {@link #aDefenceSwitchedOffIsReported}).
     */
    void asAdministrator(java.util.function.Consumer<Handle> edit) {
        core.jdbi().useHandle(handle -> {
            if (kind() == TestDatabase.Kind.POSTGRES) {
                handle.execute("SET session_replication_role = replica");
            } else {
                for (String table : H2_TRIGGERED) {
                    handle.execute("DROP TRIGGER IF EXISTS " + table + "_append_only");
                }
            }
            try {
                edit.accept(handle);
            } finally {
                if (kind() == TestDatabase.Kind.POSTGRES) {
                    handle.execute("RESET session_replication_role");
                } else {
                    for (String table : H2_TRIGGERED) {
                        handle.execute("CREATE TRIGGER IF NOT EXISTS " + table + "_append_only BEFORE UPDATE, DELETE ON " + table
                                + " FOR EACH ROW CALL '" + AppendOnlyTrigger.class.getName() + "'");
                    }
                }
            }
        });
    }

    /** The tables whose H2 trigger is named after them (all but the export register's, which these tests leave alone). */
    private static final List<String> H2_TRIGGERED = AppendOnlyDefence.TABLES.stream().filter(table -> table.startsWith("log_")).toList();

    byte[] entryBytes(long index) {
        return core.jdbi().withHandle(handle -> handle.createQuery("SELECT entry_bytes FROM log_entry WHERE idx = " + index).mapTo(byte[].class).one());
    }

    void setEntryBytes(long index, byte[] bytes) {
        asAdministrator(handle -> {
            handle.createUpdate("UPDATE log_entry SET entry_bytes = :bytes WHERE idx = :index").bind("bytes", bytes).bind("index", index).execute();
        });
    }

    long size() {
        return core.logReader().size();
    }

    @Test
    void theUntouchedLogPasses() {
        Findings findings = verify(Optional.of(core.logProofs().latestCheckpoint()));
        assertThat(findings.problems()).isEmpty();
        assertThat(String.join("\n", findings.lines())).contains("replay from index 0").contains("kept checkpoint").contains("checkpoints: signed");
    }

    /**
     * On PostgreSQL verify-log runs beside the service. It must check the log as it was at one moment: entries,
     * head, tiles, checkpoints, links and tables from the same snapshot, however many writes land meanwhile.
     */
    @Test
    void aLogBeingWrittenToWhileItIsVerifiedPasses() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(4);
        java.util.concurrent.atomic.AtomicInteger written = new java.util.concurrent.atomic.AtomicInteger();
        List<java.util.concurrent.Future<?>> running = new java.util.ArrayList<>();
        for (int w = 0; w < 4; w++) {
            running.add(writers.submit(() -> {
                while (!stop.get()) {
                    CaseRecord created = core.cases().create(worker, person("Concurrent " + written.incrementAndGet())).value();
                    core.cases().changeStatus(worker, viewer, created.id(), new NewStatusChange(CaseStatus.DETENTION_CONFIRMED, PartialDate.exact("2022"), null, List.of()));
                }
                return null;
            }));
        }
        try {
            while (written.get() < 20) {
                Thread.sleep(5);
            }
            int writtenDuring = 0;
            for (int run = 0; run < 3; run++) {
                int before = written.get();
                Findings findings = verify();
                assertThat(findings.problems()).as("verification %d", run).isEmpty();
                writtenDuring += written.get() - before;
            }
            assertThat(writtenDuring).as("cases written while the log was verified").isPositive();
        } finally {
            stop.set(true);
            for (java.util.concurrent.Future<?> writer : running) {
                writer.get();
            }
            writers.shutdown();
        }
        assertThat(verify().problems()).isEmpty();
    }

    @Test
    void theTriggersRefuseUpdatesAndDeletesOfTheLog() {
        for (String statement : List.of("UPDATE log_entry SET action = 'x' WHERE idx = 1", "DELETE FROM log_entry WHERE idx = 1",
                "DELETE FROM log_payload WHERE idx = 1", "UPDATE log_checkpoint SET note = 'x'", "DELETE FROM log_tile",
                "UPDATE log_head SET size = 0", "DELETE FROM log_key", "UPDATE log_tile SET hashes = SUBSTRING(hashes FROM 1 FOR 32) WHERE tile_level = 0 AND tile_index = 0",
                "DELETE FROM log_tile_part", "UPDATE log_tile_part SET hashes = SUBSTRING(hashes FROM 1 FOR 32)")) {
            assertThatThrownBy(() -> core.jdbi().useHandle(handle -> handle.execute(statement)))
                    .as(statement).hasStackTraceContaining("append-only");
        }
        for (String table : AppendOnlyDefence.TABLES) {
            // H2 runs no trigger on TRUNCATE; it refuses to truncate a table a foreign key references (migration 007).
            // PostgreSQL's CASCADE truncates the referencing tables with it, and its triggers must refuse.
            String truncate = "TRUNCATE TABLE " + table + (kind() == TestDatabase.Kind.H2 ? "" : " CASCADE");
            assertThatThrownBy(() -> core.jdbi().useHandle(handle -> handle.execute(truncate)))
                    .as(table).hasStackTraceContaining(kind() == TestDatabase.Kind.H2 ? "Cannot truncate" : "append-only");
        }
        assertThat(verify().ok()).isTrue();
    }

    /**
     * The service warns at start when it connects as a role that could switch the defence off itself: on PostgreSQL
     * the tests connect as the server's superuser, which owns every table; H2 has no roles to tell apart.
     */
    @Test
    void aRoleThatMayLiftTheDefenceIsNamed() {
        Optional<String> warning = core.jdbi().withHandle(AppendOnlyDefence::connectedRoleMayLiftIt);
        if (kind() == TestDatabase.Kind.H2) {
            assertThat(warning).isEmpty();
        } else {
            assertThat(warning).contains("The service connects to PostgreSQL as postgres, which is a superuser,"
                    + " so the service's own credentials could switch the append-only triggers off; a role granted as"
                    + " migrations/postgres-service-role.sql grants could not (README, \"Append-only, in the database too\")");
        }
    }

    /** A trigger dropped or switched off is reported even when nothing was edited with it off. */
    @Test
    void aDefenceSwitchedOffIsReported() {
        if (kind() == TestDatabase.Kind.H2) {
            core.jdbi().useHandle(handle -> handle.execute("DROP TRIGGER log_head_append_only"));
            assertThat(verify().problems()).containsExactly("append-only defence: log_head: no trigger refuses UPDATE",
                    "append-only defence: log_head: no trigger refuses DELETE");
            core.jdbi().useHandle(handle -> handle.execute("CREATE TRIGGER log_head_append_only BEFORE UPDATE ON log_head FOR EACH ROW CALL '"
                    + AppendOnlyTrigger.class.getName() + "'"));
            assertThat(verify().problems()).as("put back for UPDATE only").containsExactly("append-only defence: log_head: no trigger refuses DELETE");
            core.jdbi().useHandle(handle -> handle.execute("ALTER TABLE log_truncate_guard DROP CONSTRAINT guard_log_entry"));
            assertThat(verify().problems()).containsExactly(
                    "append-only defence: log_entry: nothing refuses TRUNCATE (log_truncate_guard no longer references it)",
                    "append-only defence: log_head: no trigger refuses DELETE");
        } else {
            core.jdbi().useHandle(handle -> handle.execute("ALTER TABLE log_entry DISABLE TRIGGER log_entry_append_only"));
            assertThat(verify().problems()).containsExactly(
                    "append-only defence: log_entry: trigger log_entry_append_only, which refuses UPDATE, is disabled",
                    "append-only defence: log_entry: trigger log_entry_append_only, which refuses DELETE, is disabled");
            core.jdbi().useHandle(handle -> handle.execute("ALTER TABLE log_entry ENABLE TRIGGER log_entry_append_only"));
            assertThat(verify().problems()).as("switched on again").isEmpty();
            core.jdbi().useHandle(handle -> handle.execute("ALTER TABLE log_head ENABLE REPLICA TRIGGER log_head_no_truncate"));
            assertThat(verify().problems()).as("firing only for replication").containsExactly(
                    "append-only defence: log_head: trigger log_head_no_truncate, which refuses TRUNCATE, is disabled");
            core.jdbi().useHandle(handle -> handle.execute("ALTER TABLE log_head ENABLE TRIGGER log_head_no_truncate"));
            core.jdbi().useHandle(handle -> handle.execute("DROP TRIGGER log_tables_no_truncate ON log_entry"));
            assertThat(verify().problems()).containsExactly("append-only defence: log_entry: no trigger refuses TRUNCATE");
            core.jdbi().useHandle(handle -> handle.execute(
                    "CREATE OR REPLACE FUNCTION custody_head_may_advance() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$"));
            assertThat(verify().problems()).containsExactly("append-only defence: log_entry: no trigger refuses TRUNCATE",
                    "append-only defence: log_head: UPDATE goes to trigger log_head_may_advance, whose function custody_head_may_advance"
                            + " is not the one the migrations define");
        }
    }

    @Test
    void aFlippedByteInAnEntryIsReported() {
        byte[] bytes = entryBytes(5);
        int at = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("\"time\":\"") + 10;
        bytes[at] = (byte) (bytes[at] == '1' ? '2' : '1');
        setEntryBytes(5, bytes);
        Findings findings = verify();
        assertThat(findings.problems()).anyMatch(problem -> problem.startsWith("tile 0/0: stored hashes differ"));
        assertThat(findings.problems()).anyMatch(problem -> problem.contains("root differs from the root of the stored entries"));
    }

    @Test
    void entriesRewrittenInAnotherFormOfJsonAreReportedNotFatal() {
        String fifth = new String(entryBytes(5), java.nio.charset.StandardCharsets.UTF_8);
        String sixth = new String(entryBytes(6), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(fifth).contains("\"index\":5,");
        setEntryBytes(5, fifth.replace("\"index\":5,", "\"index\": 5,").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        // a fraction: JSON that no canonical form holds, so canonicalising it again fails rather than differs
        setEntryBytes(6, sixth.replace("\"index\":6,", "\"index\":6.5,").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Findings findings = verify();
        assertThat(findings.problems()).contains("index 5: entry bytes are not in RFC 8785 canonical form",
                "index 6: entry bytes are not in RFC 8785 canonical form", "log head: stored root differs from the root of the stored entries");
    }

    @Test
    void aDeletedEntryIsReported() {
        tamper("DELETE FROM log_entry WHERE idx = 7");
        assertThat(verify().problems()).anyMatch(problem -> problem.equals("index 7: missing (the next stored entry is 8)"));
    }

    @Test
    void swappedEntriesAreReported() {
        byte[] seventh = entryBytes(7);
        byte[] eighth = entryBytes(8);
        setEntryBytes(7, eighth);
        setEntryBytes(8, seventh);
        assertThat(verify().problems()).anyMatch(problem -> problem.equals("index 7: entry says index 8, expected 7"));
    }

    @Test
    void aTruncatedTailIsReported() {
        long size = size();
        tamper("DELETE FROM log_payload WHERE idx >= " + (size - 3), "DELETE FROM log_case WHERE idx >= " + (size - 3),
                "DELETE FROM log_entry WHERE idx >= " + (size - 3));
        assertThat(verify().problems()).anyMatch(problem -> problem.equals("log head: says " + size + " entries, " + (size - 3) + " are stored"));
    }

    @Test
    void anEditedCaseRowIsReportedEvenThoughTheLogIsUntouched() {
        tamper("UPDATE cases SET details = REPLACE(details, 'Person 7\"', 'Someone else\"') WHERE reference LIKE '%" + "'");
        assertThat(verify().problems()).anyMatch(problem -> problem.endsWith("person.fullName differ(s) from the log"));
    }

    @Test
    void anEditedSearchColumnHidingAPersonFromNameSearchIsReported() {
        // the details, and so every record the API shows, are untouched: only what name search, filters and lists read
        tamper("UPDATE cases SET search_text = 'someone else' WHERE id = '" + lastCase.id() + "'");
        assertThat(verify().problems()).containsExactly(
                "case " + lastCase.id() + ": column search_text does not match the names in its details (name search reads it)");
        tamper("UPDATE cases SET search_text = '" + CaseDocuments.Derived.of(mapper.valueToTree(lastCase.details())).searchText()
                + "', category = 'CIVILIAN' WHERE id = '" + lastCase.id() + "'");
        assertThat(verify().problems()).containsExactly("case " + lastCase.id() + ": column category does not match its details (list filters read it)");
        tamper("UPDATE cases SET category = 'UNKNOWN', reference_seq = reference_seq + 1000 WHERE id = '" + lastCase.id() + "'");
        assertThat(verify().problems()).containsExactly("case " + lastCase.id() + ": column reference_seq does not match its reference (lists are ordered by it)");
        tamper("UPDATE cases SET reference_seq = reference_seq - 1000 WHERE id = '" + lastCase.id() + "'", "UPDATE evidence SET kind = 'VIDEO'");
        assertThat(verify().problems()).singleElement().asString().endsWith(": column kind does not match its details");
        // the photo, hidden from a look-up by its digest
        tamper("UPDATE evidence SET kind = 'PHOTO', sha256 = '" + "00".repeat(32) + "'");
        assertThat(verify().problems()).singleElement().asString().endsWith(": column sha256 does not match its details (look-ups by digest read it)");
    }

    @Test
    void aSecondFactorSwitchedOffOrOnBehindTheLogsBackIsReported() {
        String workerId = worker.id().toString();
        tamper("UPDATE users SET totp_enabled = FALSE WHERE id = '" + workerId + "'");
        assertThat(verify().problems()).containsExactly(
                "user " + workerId + ": column totp_enabled does not match the log's second-factor entries (sign-in reads it)");
        User other = core.users().create(Actor.SYSTEM, new NewUser("other", "Other", "another long password", EnumSet.of(Role.LAWYER))).value();
        tamper("UPDATE users SET totp_enabled = TRUE");
        assertThat(verify().problems()).as("the worker turned theirs on; the other user never did").containsExactly(
                "user " + other.id() + ": column totp_enabled does not match the log's second-factor entries (sign-in reads it)");
    }

    @Test
    void credentialsPutIntoTheTablesBehindTheLogsBackAreReported() {
        String workerId = worker.id().toString();
        String where = " WHERE id = '" + workerId + "'";
        String stored = core.jdbi().withHandle(handle -> handle.createQuery("SELECT password_hash FROM users" + where).mapTo(String.class).one());
        String problem = "user " + workerId + ": columns password_hash, must_change_password, password_expires_at or totp_secret do not match"
                + " the digest its last credentials entry committed to (sign-in reads them)";
        // an insider's own password's hash, in the hasher's format
        tamper("UPDATE users SET password_hash = '$argon2id$v=19$m=19456,t=3,p=1$aW5zaWRlcnNzYWx0MTIzNA$aW5zaWRlcnNoYXNoMTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMg'" + where);
        assertThat(verify().problems()).as("the password hash").containsExactly(problem);
        tamper("UPDATE users SET password_hash = '" + stored + "'" + where);
        assertThat(verify().problems()).as("put back").isEmpty();
        // created with a one-time password, so the flag is set: an insider clears it to skip the change
        tamper("UPDATE users SET must_change_password = FALSE" + where);
        assertThat(verify().problems()).as("the must-change flag").containsExactly(problem);
        tamper("UPDATE users SET must_change_password = TRUE, totp_secret = NULL" + where);
        assertThat(verify().problems()).as("the second factor's secret").containsExactly(problem);
    }

    @Test
    void aOneTimePasswordMadeToLastLongerIsReported() {
        String workerId = worker.id().toString();
        String where = " WHERE id = '" + workerId + "'";
        java.time.Instant expiry = core.jdbi().withHandle(handle -> handle.createQuery("SELECT password_expires_at FROM users" + where)
                .mapTo(java.time.Instant.class).one());
        String problem = "user " + workerId + ": columns password_hash, must_change_password, password_expires_at or totp_secret do not match"
                + " the digest its last credentials entry committed to (sign-in reads them)";
        assertThat(expiry).as("the worker never changed the password they were created with").isNotNull();
        setPasswordExpiry(where, expiry.plus(java.time.Duration.ofDays(365)));
        assertThat(verify().problems()).as("a year longer").containsExactly(problem);
        setPasswordExpiry(where, null);
        assertThat(verify().problems()).as("never expiring").containsExactly(problem);
        setPasswordExpiry(where, expiry);
        assertThat(verify().problems()).as("put back").isEmpty();
    }

    private void setPasswordExpiry(String where, java.time.Instant expiry) {
        core.jdbi().useHandle(handle -> handle.createUpdate("UPDATE users SET password_expires_at = :expiry" + where)
                .bindByType("expiry", expiry, java.time.Instant.class).execute());
    }

    @Test
    void sessionsOpenedOrChangedBehindTheLogsBackAreReported() throws Exception {
        String oneTime = "a lawyer's one-time password";
        String password = "a lawyer's long password";
        User lawyer = core.users().create(Actor.SYSTEM, new NewUser("lawyer", "Lawyer", oneTime, EnumSet.of(Role.LAWYER))).value();
        Sessions sessions = core.sessions();
        core.ownPassword().change(signIn(sessions, "lawyer", oneTime), oneTime.toCharArray(), password);
        Caller kept = signIn(sessions, "lawyer", password);
        sessions.signOut(signIn(sessions, "lawyer", password));
        sessions.revoke(Actor.SYSTEM, lawyer.id(), signIn(sessions, "lawyer", password).sessionId());
        assertThat(verify().problems()).as("sessions opened and ended through the service").isEmpty();
        assertThat(String.join("\n", verify().lines())).contains("1 open sessions match the tables");

        UUID forged = UUID.randomUUID();
        insertSession(forged, worker.id(), java.time.Instant.now().plusSeconds(3600));
        assertThat(verify().problems()).as("a session no one signed in for").containsExactly("session " + forged + ": in the tables but never logged");
        tamper("DELETE FROM sessions WHERE id = '" + forged + "'");

        String keptRow = " WHERE id = '" + kept.sessionId() + "'";
        java.time.Instant expiry = core.jdbi().withHandle(handle -> handle.createQuery("SELECT expires_at FROM sessions" + keptRow)
                .mapTo(java.time.Instant.class).one());
        updateSession(kept.sessionId(), "expires_at", expiry.plusSeconds(30 * 86_400));
        assertThat(verify().problems()).as("a session made to last longer").containsExactly("session " + kept.sessionId() + ": expiresAt differ(s) from the log");
        updateSession(kept.sessionId(), "expires_at", expiry);
        tamper("UPDATE sessions SET scope = 'CHANGE_PASSWORD'" + keptRow);
        assertThat(verify().problems()).as("its scope").containsExactly("session " + kept.sessionId() + ": scope differ(s) from the log");
        tamper("UPDATE sessions SET scope = 'FULL'" + keptRow);
        byte[] tokenHash = core.jdbi().withHandle(handle -> handle.createQuery("SELECT token_hash FROM sessions" + keptRow).mapTo(byte[].class).one());
        updateSession(kept.sessionId(), "token_hash", new byte[32]);
        assertThat(verify().problems()).as("a token of someone else's making").containsExactly(
                "session " + kept.sessionId() + ": column token_hash does not match the token its sign-in entry committed to (sign-in looks tokens up by it)");
        updateSession(kept.sessionId(), "token_hash", tokenHash);
        assertThat(verify().problems()).as("put back").isEmpty();

        // a forged session already past its lifetime, which the user's next sign-in removes: its entry counts one the log never opened
        UUID expired = UUID.randomUUID();
        insertSession(expired, lawyer.id(), java.time.Instant.now().minusSeconds(60));
        assertThat(verify().problems()).containsExactly("session " + expired + ": in the tables but never logged");
        signIn(sessions, "lawyer", password);
        String signInProblem = "index " + (size() - 1) + ": ends 1 expired sessions of user " + lawyer.id() + ", the log has 0 expired and open";
        assertThat(verify().problems()).as("gone from the table, still counted").containsExactly(signInProblem);

        // a forged session that a password change then ended: the change's entry counts more sessions than the log opened
        insertSession(forged, lawyer.id(), java.time.Instant.now().plusSeconds(3600));
        core.ownPassword().change(kept, password.toCharArray(), "the lawyer's new long password");
        assertThat(verify().problems()).containsExactly(signInProblem,
                "index " + (size() - 1) + ": ends 3 sessions of user " + lawyer.id() + ", the log has 2 open");
    }

    /**
     * A log written before its entries carried credential digests, token digests and expired-session counts (as the
     * code before 2026-12-04 wrote them): it passes, its user's credentials and its session's token are not checked,
     * and they are from the user's next credential change on.
     */
    @Test
    void aLogWrittenBeforeTheDigestsPassesAndIsCheckedFromTheNextChangeOn() throws Exception {
        UUID userId = UUID.randomUUID();
        UUID sessionId = UUID.randomUUID();
        String password = "an older user's long password";
        String hash = new org.custody.access.PasswordHasher(19 * 1024, 3, 1, new SecureRandom()).hash(password.toCharArray());
        core.ledger().submit(Actor.SYSTEM, context -> {
            User user = new User(userId, "older", "Older", EnumSet.of(Role.LAWYER), true, context.now());
            context.handle().createUpdate("""
                            INSERT INTO users (id, username, display_name, roles, active, password_hash, must_change_password, created_at)
                            VALUES (:id, 'older', 'Older', 'LAWYER', TRUE, :hash, FALSE, :now)""")
                    .bind("id", userId).bind("hash", hash).bind("now", context.now()).execute();
            return new Change.Applied<>(null, LogEvent.of(LogAction.USER_CREATED,
                    Subject.user(userId), java.util.Map.of("user", user)));
        });
        core.ledger().submit(new Actor(userId, "older"), context -> {
            java.time.Instant expiresAt = context.now().plusSeconds(3600);
            context.handle().createUpdate("""
                            INSERT INTO sessions (token_hash, id, user_id, created_at, expires_at, last_seen_at, scope)
                            VALUES (:tokenHash, :id, :userId, :now, :expiresAt, :now, 'FULL')""")
                    .bind("tokenHash", new byte[32]).bind("id", sessionId).bind("userId", userId).bind("now", context.now())
                    .bind("expiresAt", expiresAt).execute();
            java.util.Map<String, Object> payload = new java.util.LinkedHashMap<>();
            payload.put("sessionId", sessionId);
            payload.put("expiresAt", expiresAt);
            payload.put("scope", SessionScope.FULL);
            payload.put("secondFactor", false);
            return new Change.Applied<>(null, LogEvent.of(LogAction.SIGNED_IN,
                    Subject.user(userId), payload));
        });
        assertThat(verify().problems()).as("the older entries").isEmpty();
        String where = " WHERE id = '" + userId + "'";
        tamper("UPDATE users SET must_change_password = TRUE" + where);
        updateSession(sessionId, "token_hash", new byte[] {1, 2, 3});
        assertThat(verify().problems()).as("nothing to check them against").isEmpty();

        tamper("UPDATE users SET must_change_password = FALSE" + where);
        Caller older = signIn(core.sessions(), "older", password);
        core.ownPassword().change(older, password.toCharArray(), "the older user's new password");
        tamper("UPDATE users SET must_change_password = TRUE" + where);
        assertThat(verify().problems()).as("from the first entry with a digest on").containsExactly("user " + userId
                + ": columns password_hash, must_change_password, password_expires_at or totp_secret do not match the digest its last"
                + " credentials entry committed to (sign-in reads them)");
    }

    private static Caller signIn(Sessions sessions, String username, String password) {
        String token = sessions.signIn(username, password.toCharArray(), null, "192.0.2.1").value().token();
        return sessions.authenticate(token).orElseThrow();
    }

    private void insertSession(UUID id, UUID userId, java.time.Instant expiresAt) {
        byte[] tokenHash = new byte[32];
        new SecureRandom().nextBytes(tokenHash);
        core.jdbi().useHandle(handle -> handle.createUpdate("""
                        INSERT INTO sessions (token_hash, id, user_id, created_at, expires_at, last_seen_at, scope)
                        VALUES (:tokenHash, :id, :userId, :now, :expiresAt, :now, 'FULL')""")
                .bind("tokenHash", tokenHash).bind("id", id).bind("userId", userId).bind("now", java.time.Instant.now()).bind("expiresAt", expiresAt)
                .execute());
    }

    private void updateSession(UUID id, String column, Object value) {
        core.jdbi().useHandle(handle -> handle.createUpdate("UPDATE sessions SET " + column + " = :value WHERE id = :id")
                .bindByType("value", value, value.getClass()).bind("id", id).execute());
    }

    @Test
    void aCaseRowHoldingJsonNoRecordCanHoldIsReportedNotFatal() {
        // a fraction is JSON, but no canonical (logged) record holds one: the row differs from the log in that field
        tamper("UPDATE cases SET details = '{\"weight\":70.5,' || SUBSTRING(details, 2) WHERE id = '" + lastCase.id() + "'");
        Findings findings = verify();
        assertThat(findings.problems()).containsExactly("case " + lastCase.id() + ": weight differ(s) from the log");
        assertThat(String.join("\n", findings.lines())).contains("checkpoints: signed");
    }

    @Test
    void aCaseRowWhoseDetailsAreNoLongerJsonIsReportedNotFatal() {
        tamper("UPDATE cases SET details = 'not json at all' WHERE id = '" + lastCase.id() + "'");
        Findings findings = verify();
        assertThat(findings.problems()).containsExactly("case " + lastCase.id() + ": its row cannot be read as a record (stored details are not JSON)");
        assertThat(String.join("\n", findings.lines())).contains("checkpoints: signed");
    }

    @Test
    void aMissingPartOfAnUnfinishedTileIsReported() {
        tamper("DELETE FROM log_tile_part WHERE tile_level = 0 AND first_hash = 0");
        assertThat(verify().problems()).anyMatch(problem -> problem.startsWith("tile 0/1: its stored parts do not join up (a part begins at hash "));
    }

    @Test
    void rowsAddedOrRemovedBehindTheLogsBackAreReported() {
        String statusChange = core.jdbi().withHandle(handle -> handle.createQuery("SELECT CAST(id AS VARCHAR(36)) FROM status_change")
                .mapTo(String.class).one());
        String lastCaseId = lastCase.id().toString();
        tamper("DELETE FROM status_change", "DELETE FROM log_case WHERE case_id = '" + lastCaseId + "'",
                "DELETE FROM cases WHERE id = '" + lastCaseId + "'",
                "INSERT INTO users (id, username, display_name, roles, active, password_hash, created_at) VALUES "
                        + "('00000000-0000-7000-8000-000000000001', 'intruder', 'Intruder', 'ADMIN', TRUE, 'x', CURRENT_TIMESTAMP)");
        assertThat(verify().problems()).containsExactly(
                "index " + entryIndex("case.created", lastCase.id()) + ": not linked to case " + lastCaseId + ", which the entry concerns",
                "user 00000000-0000-7000-8000-000000000001: in the tables but never logged",
                "case " + lastCaseId + ": in the log but not in the tables",
                "status change " + statusChange + ": in the log but not in the tables");
    }

    @Test
    void aCaseLinkAddedOrRemovedBehindTheLogsBackIsReported() {
        long lastCreated = entryIndex("case.created", lastCase.id());
        long evidenceEdited = core.jdbi().withHandle(handle -> handle.createQuery("SELECT idx FROM log_entry WHERE action = 'evidence.updated'")
                .mapTo(Long.class).one());
        // another person's entry put into the first case's history (and its exports), and the evidence edit taken out of it
        tamper("INSERT INTO log_case (case_id, idx) VALUES ('" + firstCase.id() + "', " + lastCreated + ")",
                "DELETE FROM log_case WHERE idx = " + evidenceEdited);
        assertThat(verify().problems()).containsExactly(
                "index " + lastCreated + ": linked to case " + firstCase.id() + ", which the entry does not concern",
                "index " + evidenceEdited + ": not linked to case " + firstCase.id() + ", which the entry concerns");
    }

    @Test
    void aLookupColumnThatDisagreesWithItsEntryIsReported() {
        long edited = entryIndex("case.updated", firstCase.id());
        long lastCreated = entryIndex("case.created", lastCase.id());
        // the edit hidden from the case's history (it filters by action), the last case's creation given to the first case
        tamper("UPDATE log_entry SET action = 'case.viewed' WHERE idx = " + edited,
                "UPDATE log_entry SET subject_id = '" + firstCase.id() + "' WHERE idx = " + lastCreated);
        assertThat(verify().problems()).containsExactly(
                "index " + edited + ": action column says case.viewed, the entry says case.updated",
                "index " + lastCreated + ": subject id column says " + firstCase.id() + ", the entry says " + lastCase.id());
    }

    long entryIndex(String action, java.util.UUID subject) {
        return core.jdbi().withHandle(handle -> handle.createQuery("SELECT idx FROM log_entry WHERE action = :action AND subject_id = :subject")
                .bind("action", action).bind("subject", subject).mapTo(Long.class).one());
    }

    @Test
    void anEditedPayloadIsReported() {
        tamper("UPDATE log_payload SET payload = REPLACE(payload, 'edited', 'EDITED')");
        assertThat(verify().problems()).anyMatch(problem -> problem.contains("payload does not match its commitment"));
    }

    /**
     * The defence lets a payload go once {@code log_erasure} names its entry, and anyone who may insert there could name
     * one: only a {@code case.erased} entry in the signed log accounts for a payload gone.
     */
    @Test
    void aPayloadDeletedWithoutAnErasureEntryIsReported() {
        long index = entryIndex("case.created", lastCase.id());
        core.jdbi().useHandle(handle -> {
            handle.execute("INSERT INTO log_erasure (idx, case_id) VALUES (" + index + ", '" + lastCase.id() + "')");
            handle.execute("DELETE FROM log_payload WHERE idx = " + index);
        });
        assertThat(verify().problems()).containsExactlyInAnyOrder("index " + index + ": payload is missing",
                "case " + lastCase.id() + ": in the tables but never logged",
                "erased entry " + index + ": in the tables but never logged");
    }

    /** An erasure entry that lists what it did not erase is reported: the payload still stored, the records still there. */
    @Test
    void anErasureThatLeavesWhatItListsIsReported() {
        long created = entryIndex("case.created", lastCase.id());
        long erasure = forgeErasure(lastCase, worker, -1, worker.id(), java.time.Instant.now().plusSeconds(60), List.of(created));
        assertThat(verify().problems()).containsExactlyInAnyOrder(
                "index " + erasure + ": erases case " + lastCase.id() + " approving proposal -1, but the pending proposal of the case is none",
                "index " + created + ": erased by entry " + erasure + ", but its payload is still stored",
                "index " + erasure + ": erases case " + lastCase.id() + ", but a payload that describes it is still stored",
                "case " + lastCase.id() + ": in the tables but never logged",
                "erased entry " + created + ": in the log but not in the tables",
                "erased case " + lastCase.id() + ": in the log but not in the tables");
    }

    /** A real erasure passes; a payload it erased, put back from a copy, is reported. */
    @Test
    void anErasedPayloadPutBackIsReported() {
        long created = entryIndex("case.created", firstCase.id());
        record Stored(byte[] salt, String payload) {}
        Stored copy = core.jdbi().withHandle(handle -> handle.createQuery("SELECT salt, payload FROM log_payload WHERE idx = " + created)
                .map((rs, ctx) -> new Stored(rs.getBytes("salt"), rs.getString("payload"))).one());
        Recorded<Erasure> erased = erase(firstCase);
        assertThat(erased.value().erasedEvidenceIds()).as("the photo was linked to a second case").isEmpty();
        assertThat(erased.value().unlinkedEvidenceIds()).hasSize(1);
        Findings clean = verify();
        assertThat(clean.problems()).isEmpty();
        assertThat(clean.lines()).anyMatch(line -> line.contains(erased.value().erasedEntries().size() + " payloads erased by law"));

        asAdministrator(handle -> handle.createUpdate("INSERT INTO log_payload (idx, salt, payload) VALUES (:idx, :salt, :payload)")
                .bind("idx", created).bind("salt", copy.salt()).bind("payload", copy.payload()).execute());
        assertThat(verify().problems()).contains(
                "index " + created + ": erased by entry " + erased.logIndex() + ", but its payload is still stored",
                "index " + erased.logIndex() + ": erases case " + firstCase.id() + ", but a payload that describes it is still stored");
    }

    /** An erased case's reference is never given again: the row that keeps it is checked, and so is every later case. */
    @Test
    void anErasedCasesReferenceIsNeverGivenAgain() {
        erase(lastCase);
        CaseRecord next = core.cases().create(worker, person("Invented Next")).value();
        assertThat(next.reference()).as("the erased case had the last reference").isNotEqualTo(lastCase.reference());
        erase(next);
        assertThat(verify().problems()).isEmpty();

        tamper("UPDATE log_erased_case SET reference_seq = 1 WHERE case_id = '" + lastCase.id() + "'");
        assertThat(verify().problems()).containsExactly("erased case " + lastCase.id()
                + ": column reference_seq does not match its reference (no later case may be given the reference)");
        tamper("DELETE FROM log_erased_case");
        CaseRecord reused = core.cases().create(worker, person("Invented Reused")).value();
        assertThat(reused.reference()).as("without the rows that keep them").isEqualTo(lastCase.reference());
        assertThat(verify().problems()).containsExactlyInAnyOrder(
                "index " + entryIndex("case.created", reused.id()) + ": case " + reused.id() + " was given the reference of an erased case",
                "case " + reused.id() + ": in the tables but never logged",
                "erased case " + lastCase.id() + ": in the log but not in the tables",
                "erased case " + next.id() + ": in the log but not in the tables");
    }

    /**
     * The two-person rule holds in the log, not only in the service: an erasure entry approved by the administrator
     * who proposed it, or approving a proposal withdrawn, is reported from the entries alone.
     */
    @Test
    void anErasureWithoutASecondPersonIsReported() {
        ErasureProposal proposal = core.erasures().propose(worker, viewer, lastCase.id(),
                new ErasureRequest("Invented court order")).value();
        long ownApproval = forgeErasure(lastCase, worker, proposal.proposal(), worker.id(), proposal.expiresAt(), List.of());
        assertThat(verify().problems()).contains("index " + ownApproval + ": erasure approved by the administrator who proposed it (" + worker.id() + ")");

        CaseRecord other = core.cases().create(worker, person("Invented Other")).value();
        ErasureProposal withdrawn = core.erasures().propose(worker, viewer, other.id(),
                new ErasureRequest("Invented court order")).value();
        core.erasures().withdraw(approver(), viewer, other.id());
        long afterWithdrawal = forgeErasure(other, approver(), withdrawn.proposal(), worker.id(), withdrawn.expiresAt(), List.of());
        assertThat(verify().problems()).contains("index " + afterWithdrawal + ": erases case " + other.id() + " approving proposal "
                + withdrawn.proposal() + ", but the pending proposal of the case is none");
    }

    /**
     * The column that lists the proposals waiting for a second administrator is checked against the log: a proposal
     * hidden from the list, or one put on a case nobody proposed to erase, is reported, and the service approves
     * nothing the log does not record as proposed.
     */
    @Test
    void aPendingProposalHiddenOrInventedBehindTheLogsBackIsReported() {
        ErasureProposal proposal = core.erasures().propose(worker, viewer, lastCase.id(), new ErasureRequest("Invented court order")).value();
        assertThat(verify().problems()).isEmpty();
        assertThat(core.erasures().awaitingApproval(viewer, java.time.Instant.now(), 0, 10).items()).extracting(PendingErasure::proposal)
                .containsExactly(proposal.proposal());

        tamper("UPDATE cases SET erasure_proposal = NULL WHERE id = '" + lastCase.id() + "'");
        assertThat(core.erasures().awaitingApproval(viewer, java.time.Instant.now(), 0, 10).items()).as("hidden from the list").isEmpty();
        assertThat(verify().problems()).containsExactly("pending erasure proposal of case " + lastCase.id() + ": in the log but not in the tables");

        long created = entryIndex("case.created", firstCase.id());
        tamper("UPDATE cases SET erasure_proposal = " + proposal.proposal() + " WHERE id = '" + lastCase.id() + "'",
                "UPDATE cases SET erasure_proposal = " + created + " WHERE id = '" + firstCase.id() + "'");
        assertThat(core.erasures().awaitingApproval(viewer, java.time.Instant.now(), 0, 10).items()).as("an entry that proposes nothing")
                .extracting(PendingErasure::caseId).containsExactly(lastCase.id());
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> core.erasures().approve(approver(), viewer, firstCase.id(), created)))
                .isInstanceOf(org.custody.common.ConflictException.class);
        assertThat(verify().problems()).containsExactly("pending erasure proposal of case " + firstCase.id() + ": in the tables but never logged");
    }

    /** Erases a case as the service does: the worker proposes, a second administrator approves. */
    Recorded<Erasure> erase(CaseRecord erased) {
        long proposal = core.erasures().propose(worker, viewer, erased.id(), new ErasureRequest("Invented court order"))
                .value().proposal();
        return core.erasures().approve(approver(), viewer, erased.id(), proposal);
    }

    private Actor approver;

    private Actor approver() {
        if (approver == null) {
            User user = core.users().create(Actor.SYSTEM, new NewUser("approver", "Approver", "a long test password",
                    EnumSet.of(Role.ADMIN, Role.CASE_WORKER))).value();
            approver = new Actor(user.id(), user.username());
        }
        return approver;
    }

    /** A {@code case.erased} entry written through the ledger by {@code actor}, erasing nothing it lists. */
    long forgeErasure(CaseRecord erased, Actor actor, long proposal, UUID proposedBy, java.time.Instant expiresAt, List<Long> entries) {
        return core.ledger().submit(actor, context -> new Change.Applied<>(null, new LogEvent(
                LogAction.CASE_ERASED, Subject.caseRecord(erased.id()),
                new Erasure(erased.id(), erased.reference(), "forged", proposal, proposedBy, expiresAt, entries, List.of(), List.of()),
                java.util.Set.of(erased.id())))).logIndex();
    }

    @Test
    void aCheckpointForgedWithAnotherKeyIsReported() throws Exception {
        LogSigner forger = new LogSigner(ORIGIN, new Ed25519PrivateKeyParameters(new SecureRandom()));
        long size = size();
        String forged = replaceLatestCheckpoint(forger, false);
        assertThat(verify().problems()).containsExactly("checkpoint " + size + ": not signed by any log key");
        assertThat(verify(Optional.of(forged)).problems()).contains("kept checkpoint of size " + size + ": not signed by any key of this log");
    }

    @Test
    void aKeptCheckpointThatIsNoCheckpointIsOneFindingAndTheLogIsStillChecked() throws Exception {
        LogSigner forger = new LogSigner(ORIGIN, new Ed25519PrivateKeyParameters(new SecureRandom()));
        String signedButNoCheckpoint = SignedNote.sign("a note of the right shape\nbut no checkpoint\n", List.of(forger)).text();
        Findings noCheckpoint = verify(Optional.of(signedButNoCheckpoint));
        assertThat(noCheckpoint.problems()).containsExactly("kept checkpoint: not a checkpoint: expected origin, size and base64 root hash lines");
        assertThat(noCheckpoint.lines()).anyMatch(line -> line.contains("replay from index 0"));

        Findings noNote = verify(Optional.of("just some text\n"));
        assertThat(noNote.problems()).containsExactly("kept checkpoint: not a signed note: no blank line between body and signatures");
        assertThat(noNote.lines()).anyMatch(line -> line.contains("replay from index 0"));
    }

    /** The key table is not the log's word on its keys: the key registrations in the log are. */
    @Test
    void aForgersKeySlippedIntoTheKeyTableDoesNotMakeItsCheckpointPass() throws Exception {
        LogSigner forger = new LogSigner(ORIGIN, new Ed25519PrivateKeyParameters(new SecureRandom()));
        long size = size();
        replaceLatestCheckpoint(forger, true);
        assertThat(verify().problems()).contains("checkpoint " + size + ": not signed by any log key");
    }

    /** Re-signs the latest checkpoint with {@code forger} in place of the log's key, registering its key in the key table if asked; returns the note. */
    private String replaceLatestCheckpoint(LogSigner forger, boolean registerKey) throws Exception {
        long size = size();
        Checkpoint real = Checkpoint.parse(SignedNote.parse(core.logProofs().latestCheckpoint()).body());
        String forged = SignedNote.sign(new Checkpoint(ORIGIN, size, real.root()).body(), List.of(forger)).text();
        asAdministrator(handle -> {
            if (registerKey) {
                handle.createUpdate("INSERT INTO log_key (key_id, name, public_key, valid_from) VALUES (:id, :name, :key, :from)")
                        .bind("id", forger.key().keyIdHex()).bind("name", forger.key().name()).bind("key", forger.key().publicKey())
                        .bind("from", java.time.Instant.now()).execute();
            }
            handle.createUpdate("UPDATE log_checkpoint SET note = :note WHERE size = :size").bind("note", forged).bind("size", size).execute();
        });
        return forged;
    }

    @Test
    void aLogRolledBackAndResignedWithTheRealKeyIsCaughtByAnEarlierCheckpoint() throws Exception {
        String kept = core.logProofs().latestCheckpoint();
        long size = size();
        long rollbackTo = size - 2;
        // The administrator rolls the log and the tables back two entries, consistently...
        rollBackTo(rollbackTo);
        tamper("DELETE FROM cases WHERE reference = (SELECT MAX(reference) FROM cases)");
        // ...then lets the service carry on, signing new checkpoints with the real key.
        core.cases().create(worker, person("Replacement")).value();
        core.cases().create(worker, person("Replacement 2")).value();
        core.cases().create(worker, person("Replacement 3")).value();

        assertThat(verify().problems()).as("the rewritten log is consistent in itself").isEmpty();
        assertThat(verify(Optional.of(kept)).problems())
                .containsExactly("kept checkpoint of size " + size + ": the log's first " + size + " entries are not the ones it signed: the log was rewritten");
    }

    /** A proof is for a size the log has now: one it had before it was rolled back under the service is a 400, not a 500. */
    @Test
    void aProofForASizeTheLogNoLongerHasIsRefusedAfterTheLogIsRolledBackUnderTheService() {
        long size = size();
        assertThat(core.logProofs().inclusion(0, size).treeSize()).as("proved before the rollback").isEqualTo(size);
        assertThat(core.logProofs().consistency(1, size).to()).isEqualTo(size);
        long rollbackTo = size - 2;
        rollBackTo(rollbackTo);

        assertThat(catchThrowableOfType(() -> core.logProofs().inclusion(0, size), InvalidInputException.class).errors())
                .containsExactly(new InvalidInputException.FieldError("treeSize", "must be from 1 to the log's size, " + rollbackTo));
        assertThat(catchThrowableOfType(() -> core.logProofs().consistency(1, size), InvalidInputException.class).errors())
                .containsExactly(new InvalidInputException.FieldError("to", "must be from 1 to the log's size, " + rollbackTo));
        assertThat(core.logProofs().inclusion(0, rollbackTo).treeSize()).as("the sizes the log still has are proved").isEqualTo(rollbackTo);
    }

    /**
     * The proofs remember the log's unfinished edge; after the log is rolled back and grows again under the running
     * service, a proof against the newest tree must agree with the newest checkpoint, not with what was remembered.
     */
    @Test
    void anInclusionProofAgainstTheNewestTreeAgreesWithItsCheckpointAfterTheLogIsRolledBackAndGrowsAgain() throws Exception {
        long size = size();
        assertThat(core.logProofs().inclusion(size - 1, size).treeSize()).as("the edge is remembered").isEqualTo(size);
        Checkpoint newest = rollBackAndGrowAgain(size);
        assertThat(core.logProofs().inclusion(newest.size() - 1, newest.size()).root()).isEqualTo(Base64.getEncoder().encodeToString(newest.root()));
    }

    @Test
    void aConsistencyProofAgainstTheNewestTreeAgreesWithItsCheckpointAfterTheLogIsRolledBackAndGrowsAgain() throws Exception {
        long size = size();
        assertThat(core.logProofs().consistency(1, size).to()).as("the edge is remembered").isEqualTo(size);
        Checkpoint newest = rollBackAndGrowAgain(size);
        assertThat(core.logProofs().consistency(1, newest.size()).toRoot()).isEqualTo(Base64.getEncoder().encodeToString(newest.root()));
    }

    /** The same when the regrown edge is stored in parts that do not begin where what was remembered ends. */
    @Test
    void aProofAgainstTheNewestTreeIsMadeAfterTheLogGrowsAgainInPartsThatDoNotJoinWhatWasRemembered() throws Exception {
        long size = size();
        assertThat((size - 2) / TileStorage.WIDTH).as("the edge stays in one tile").isEqualTo((size + 2) / TileStorage.WIDTH);
        assertThat(core.logProofs().inclusion(size - 1, size).treeSize()).as("the edge is remembered").isEqualTo(size);
        Checkpoint newest = rollBackAndGrowAgain(size, 4);
        // the four new entries' parts as one, beginning before the size that was remembered
        long tile = (size - 2) / TileStorage.WIDTH;
        int first = (int) ((size - 2) % TileStorage.WIDTH);
        asAdministrator(handle -> {
            java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
            handle.createQuery("SELECT hashes FROM log_tile_part WHERE tile_level = 0 AND tile_index = :tile AND first_hash >= :first ORDER BY first_hash")
                    .bind("tile", tile).bind("first", first).mapTo(byte[].class).forEach(joined::writeBytes);
            assertThat(joined.size()).isEqualTo(4 * TreeHash.SIZE);
            handle.createUpdate("DELETE FROM log_tile_part WHERE tile_level = 0 AND tile_index = :tile AND first_hash >= :first")
                    .bind("tile", tile).bind("first", first).execute();
            handle.createUpdate("INSERT INTO log_tile_part (tile_level, tile_index, first_hash, hashes) VALUES (0, :tile, :first, :hashes)")
                    .bind("tile", tile).bind("first", first).bind("hashes", joined.toByteArray()).execute();
        });
        assertThat(core.logProofs().inclusion(newest.size() - 1, newest.size()).root()).isEqualTo(Base64.getEncoder().encodeToString(newest.root()));
    }

    /** Rolls the log of {@code size} entries back by two and lets the service append three: the newest checkpoint after. */
    private Checkpoint rollBackAndGrowAgain(long size) throws Exception {
        return rollBackAndGrowAgain(size, 3);
    }

    /** Rolls the log of {@code size} entries back by two and lets the service append {@code entries} cases, one at a time. */
    private Checkpoint rollBackAndGrowAgain(long size, int entries) throws Exception {
        rollBackTo(size - 2);
        for (int n = 1; n <= entries; n++) {
            core.cases().create(worker, person("Regrown " + n)).value();
        }
        Checkpoint newest = Checkpoint.parse(SignedNote.parse(core.logProofs().latestCheckpoint()).body());
        assertThat(newest.size()).isEqualTo(size - 2 + entries);
        return newest;
    }

    /** Rolls the log back to its first {@code size} entries, its tree and head with it, and deletes the last case created. */
    private void rollBackTo(long size) {
        tamper("DELETE FROM cases WHERE id = '" + lastCase.id() + "'",
                "DELETE FROM log_case WHERE idx >= " + size, "DELETE FROM log_payload WHERE idx >= " + size,
                "DELETE FROM log_entry WHERE idx >= " + size, "DELETE FROM log_checkpoint WHERE size > " + size,
                "DELETE FROM log_tile", "DELETE FROM log_tile_part");
        rebuildTree(size);
    }

    /** Recomputes the tiles and the head for the first {@code size} entries, as a careful forger would. */
    private void rebuildTree(long size) {
        asAdministrator(handle -> {
            TreeEdge edge = TreeEdge.empty();
            for (byte[] entry : handle.createQuery("SELECT entry_bytes FROM log_entry ORDER BY idx").mapTo(byte[].class).list()) {
                edge.append(TreeHash.leaf(entry));
            }
            edge.flush(new TileStorage() {
                @Override
                public byte[] read(int tileLevel, long tileIndex) {
                    return new byte[0];
                }

                @Override
                public void write(int tileLevel, long tileIndex, byte[] hashes, int storedBefore) {
                    boolean full = hashes.length == TileStorage.WIDTH * TreeHash.SIZE;
                    handle.createUpdate(full ? "INSERT INTO log_tile (tile_level, tile_index, hashes) VALUES (:l, :i, :h)"
                                    : "INSERT INTO log_tile_part (tile_level, tile_index, first_hash, hashes) VALUES (:l, :i, 0, :h)")
                            .bind("l", tileLevel).bind("i", tileIndex).bind("h", hashes).execute();
                }
            });
            handle.createUpdate("UPDATE log_head SET size = :size, root = :root").bind("size", size).bind("root", edge.root()).execute();
        });
    }
}
