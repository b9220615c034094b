package org.custody.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.jackson.Jackson;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.custody.Core;
import org.custody.Migrations;
import org.custody.access.NewUser;
import org.custody.access.Role;
import org.custody.access.User;
import org.custody.access.Viewer;
import org.custody.audit.LogVerifier;
import org.custody.cases.CaseDetails;
import org.custody.cases.CaseRecord;
import org.custody.cases.Category;
import org.custody.erasure.ErasureRequest;
import org.custody.erasure.PendingErasure;
import org.custody.log.Actor;
import org.custody.support.TempDirectories;
import org.custody.support.TestConfigs;
import org.custody.support.TestDatabase;
import org.custody.web.Json;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Migrations that add a column derived from what is already stored fill it for the rows stored before them: as if the
 * rows had been stored by an earlier version (the column emptied, the migration's filling run again), the service
 * then reads the column as if it had written it, and {@code verify-log} finds it in agreement with the log.
 */
class FilledColumnMigrationTest {
    /** Migration 010: every evidence item's digest, read from its details; the look-up by digest then finds it. */
    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void itemsStoredBeforeTheDigestColumnAreFoundByTheirDigest(TestDatabase.Kind kind) throws Exception {
        Path dataDirectory = TempDirectories.create("custody-digest-migration");
        TestDatabase database = TestDatabase.fresh(kind);
        String digest = "c0ffee".repeat(10) + "abcd";
        try {
            Core core = TestConfigs.startCore(database, dataDirectory, Clock.systemUTC());
            Viewer viewer;
            try {
                Actor actor = administrator(core, "digests");
                viewer = Viewer.caseWorker(actor.id(), java.time.Instant.now());
                CaseRecord found = core.cases().create(actor, person("Invented Digest")).value();
                ObjectNode video = JsonNodeFactory.instance.objectNode().put("kind", "VIDEO").put("title", "invented video").put("sha256", digest);
                video.putArray("caseIds").add(found.id().toString());
                core.evidence().add(actor, viewer, video);
                ObjectNode testimony = JsonNodeFactory.instance.objectNode().put("kind", "TESTIMONY").put("title", "invented testimony");
                testimony.putArray("caseIds").add(found.id().toString());
                core.evidence().add(actor, viewer, testimony);
            } finally {
                core.stop();
            }

            Jdbi jdbi = refill(database, dataDirectory, "UPDATE evidence SET sha256 = NULL", "010-evidence-digest-filled-%");
            List<String> digests = jdbi.withHandle(handle -> handle.createQuery("SELECT sha256 FROM evidence ORDER BY kind").mapTo(String.class).list());
            assertThat(digests)
                    .as("the testimony has no digest, the video its own").containsExactly(null, digest);

            Core after = TestConfigs.startCore(database, dataDirectory, Clock.systemUTC());
            try {
                assertThat(after.evidence().list(viewer, org.custody.common.Sha256Digest.of(digest), 0, 10).items()).singleElement()
                        .satisfies(item -> assertThat(item.details().title()).isEqualTo("invented video"));
            } finally {
                after.stop();
            }
        } finally {
            TempDirectories.delete(dataDirectory);
        }
    }

    /**
     * Migration 011: every case's pending erasure proposal, from the proposals and withdrawals logged about it; the
     * list of proposals waiting for approval then shows them, and an approval finds them.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void erasuresProposedBeforeTheProposalColumnAreListedAndApproved(TestDatabase.Kind kind) throws Exception {
        Path dataDirectory = TempDirectories.create("custody-proposal-migration");
        TestDatabase database = TestDatabase.fresh(kind);
        try {
            Core core = TestConfigs.startCore(database, dataDirectory, Clock.systemUTC());
            Actor proposer;
            Actor approver;
            Viewer viewer;
            Map<String, UUID> cases = new java.util.LinkedHashMap<>();
            long pending;
            long proposedAgain;
            try {
                proposer = administrator(core, "proposer");
                approver = administrator(core, "approver");
                viewer = Viewer.caseWorker(proposer.id(), java.time.Instant.now());
                for (String name : List.of("pending", "withdrawn", "proposed again", "never proposed")) {
                    cases.put(name, core.cases().create(proposer, person("Invented " + name)).value().id());
                }
                ErasureRequest order = new ErasureRequest("Invented court order");
                pending = core.erasures().propose(proposer, viewer, cases.get("pending"), order).value().proposal();
                core.erasures().propose(proposer, viewer, cases.get("withdrawn"), order);
                core.erasures().withdraw(approver, viewer, cases.get("withdrawn"));
                core.erasures().propose(proposer, viewer, cases.get("proposed again"), order);
                core.erasures().withdraw(approver, viewer, cases.get("proposed again"));
                proposedAgain = core.erasures().propose(proposer, viewer, cases.get("proposed again"), order).value().proposal();
            } finally {
                core.stop();
            }

            Jdbi jdbi = refill(database, dataDirectory, "UPDATE cases SET erasure_proposal = NULL", "011-erasure-proposal-filled");
            Map<UUID, Long> column = new java.util.HashMap<>();
            jdbi.useHandle(handle -> handle.createQuery("SELECT id, erasure_proposal FROM cases WHERE erasure_proposal IS NOT NULL")
                    .map((rs, ctx) -> column.put(rs.getObject(1, UUID.class), rs.getLong(2))).list());
            assertThat(column).as("the withdrawn and the never proposed have none")
                    .isEqualTo(Map.of(cases.get("pending"), pending, cases.get("proposed again"), proposedAgain));

            Core after = TestConfigs.startCore(database, dataDirectory, Clock.systemUTC());
            try {
                assertThat(after.erasures().awaitingApproval(viewer, java.time.Instant.now(), 0, 10).items()).extracting(PendingErasure::proposal)
                        .containsExactly(pending, proposedAgain);
                after.erasures().approve(approver, viewer, cases.get("pending"), pending);
                assertThat(after.erasures().awaitingApproval(viewer, java.time.Instant.now(), 0, 10).items()).extracting(PendingErasure::caseId)
                        .containsExactly(cases.get("proposed again"));
            } finally {
                after.stop();
            }
            assertThat(verifier(jdbi, database, dataDirectory).verify(Optional.empty()).problems()).isEmpty();
        } finally {
            TempDirectories.delete(dataDirectory);
        }
    }

    /**
     * Empties a derived column with {@code clearing}, runs the migration's filling again (its change sets, named by
     * {@code changeSets}, forgotten), and checks that verify-log passes; the database as a plain connection.
     */
    private static Jdbi refill(TestDatabase database, Path dataDirectory, String clearing, String changeSets) throws Exception {
        Jdbi jdbi = Jdbi.create(database.url(), database.user(), database.password()).installPlugin(new SqlObjectPlugin());
        jdbi.useHandle(handle -> {
            handle.execute(clearing);
            handle.createUpdate("DELETE FROM databasechangelog WHERE id LIKE :changeSets").bind("changeSets", changeSets).execute();
        });
        Migrations.apply(TestConfigs.forDatabase(database, dataDirectory).getDatabase(), new MetricRegistry());
        assertThat(verifier(jdbi, database, dataDirectory).verify(Optional.empty()).problems()).as("verify-log after the filling").isEmpty();
        return jdbi;
    }

    private static LogVerifier verifier(Jdbi jdbi, TestDatabase database, Path dataDirectory) {
        return new LogVerifier(jdbi, Json.configure(Jackson.newObjectMapper()), TestConfigs.forDatabase(database, dataDirectory).getLog().getOrigin());
    }

    /** An administrator who also edits cases, as erasing one asks. */
    private static Actor administrator(Core core, String username) {
        User user = core.users().create(Actor.SYSTEM, new NewUser(username, username, "a long test password", EnumSet.of(Role.ADMIN, Role.CASE_WORKER)))
                .value();
        return new Actor(user.id(), user.username());
    }

    private static CaseDetails person(String name) {
        return new CaseDetails(new CaseDetails.Person(name, null, List.of(), null, null, null, null), Category.UNKNOWN, null, null, null, null);
    }
}
