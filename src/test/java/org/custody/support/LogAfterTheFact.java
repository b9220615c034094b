package org.custody.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.jackson.Jackson;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.custody.audit.LogVerifier;
import org.custody.web.Json;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * What a test checks in a database once the service processes that wrote it are gone: every acknowledged case
 * creation is at the log index it was answered with, the log is gapless, and verify-log finds nothing.
 */
public final class LogAfterTheFact {
    private LogAfterTheFact() {}

    public static void check(TestDatabase database, String origin, Map<String, Long> acknowledgedCreations) {
        Jdbi jdbi = Jdbi.create(database.url(), database.user(), database.password()).installPlugin(new SqlObjectPlugin());
        jdbi.useHandle(handle -> {
            Map<String, Long> created = new HashMap<>();
            handle.createQuery("SELECT CAST(subject_id AS VARCHAR(36)) AS id, idx FROM log_entry WHERE action = 'case.created'")
                    .map((rs, ctx) -> created.put(rs.getString("id"), rs.getLong("idx"))).list();
            acknowledgedCreations.forEach((caseId, index) ->
                    assertThat(created.get(caseId)).as("acknowledged case %s at log index %d", caseId, index).isEqualTo(index));
            long size = handle.createQuery("SELECT size FROM log_head").mapTo(Long.class).one();
            assertThat(handle.createQuery("SELECT COUNT(*) FROM log_entry").mapTo(Long.class).one()).as("gapless").isEqualTo(size);
            assertThat(handle.createQuery("SELECT MAX(idx) FROM log_entry").mapTo(Long.class).one()).isEqualTo(size - 1);
        });
        assertThat(new LogVerifier(jdbi, Json.configure(Jackson.newObjectMapper()), origin).verify(Optional.empty()).problems())
                .as("verify-log").isEmpty();
    }
}
