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
import java.util.Optional;
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
 * Migration 010 gives every evidence item stored before it its digest column, read from the item's details: as if
 * the items had been stored by an earlier version (the column emptied, the migration's filling run again), the
 * look-up by digest then finds them and {@code verify-log} finds the column in agreement with the details.
 */
class EvidenceDigestMigrationTest {
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
                User user = core.users().create(Actor.SYSTEM, new NewUser("digests", "Digests", "a long test password", EnumSet.of(Role.CASE_WORKER)))
                        .value();
                Actor actor = new Actor(user.id(), user.username());
                viewer = Viewer.caseWorker(user.id(), java.time.Instant.now());
                CaseRecord found = core.cases().create(actor, new CaseDetails(new CaseDetails.Person("Invented Digest", null, List.of(), null, null, null, null),
                        Category.UNKNOWN, null, null, null, null)).value();
                ObjectNode video = JsonNodeFactory.instance.objectNode().put("kind", "VIDEO").put("title", "invented video").put("sha256", digest);
                video.putArray("caseIds").add(found.id().toString());
                core.evidence().add(actor, viewer, video);
                ObjectNode testimony = JsonNodeFactory.instance.objectNode().put("kind", "TESTIMONY").put("title", "invented testimony");
                testimony.putArray("caseIds").add(found.id().toString());
                core.evidence().add(actor, viewer, testimony);
            } finally {
                core.stop();
            }

            Jdbi jdbi = Jdbi.create(database.url(), database.user(), database.password()).installPlugin(new SqlObjectPlugin());
            jdbi.useHandle(handle -> {
                handle.execute("UPDATE evidence SET sha256 = NULL");
                handle.execute("DELETE FROM databasechangelog WHERE id LIKE '010-evidence-digest-filled-%'");
            });
            Migrations.apply(TestConfigs.forDatabase(database, dataDirectory).getDatabase(), new MetricRegistry());
            List<String> digests = jdbi.withHandle(handle -> handle.createQuery("SELECT sha256 FROM evidence ORDER BY kind").mapTo(String.class).list());
            assertThat(digests)
                    .as("the testimony has no digest, the video its own").containsExactly(null, digest);
            assertThat(new LogVerifier(jdbi, Json.configure(Jackson.newObjectMapper()), TestConfigs.forDatabase(database, dataDirectory).getLog().getOrigin())
                    .verify(Optional.empty()).problems()).isEmpty();

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
}
