package org.custody.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import java.time.Instant;
import java.util.List;
import org.custody.web.Json;
import org.junit.jupiter.api.Test;

/** verify-log writes the times of table rows itself; they must be the text the service's mapper wrote into the log. */
class TableStateTimeTest {
    private static final ObjectMapper MAPPER = Json.configure(Jackson.newObjectMapper());

    @Test
    void writesTimesAsTheServicesMapperDoesAtEveryPrecision() {
        for (Instant time : List.of(Instant.parse("2026-12-01T23:00:00Z"), Instant.parse("2026-12-01T23:00:00.120Z"),
                Instant.parse("2026-12-01T23:00:00.123456Z"), Instant.parse("2026-12-01T23:00:00.000000001Z"), Instant.parse("1969-12-31T23:59:59.5Z"),
                Instant.EPOCH)) {
            assertThat(TableState.time(time)).as(time.toString()).isEqualTo(MAPPER.valueToTree(time));
        }
    }
}
