package org.custody.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.jackson.Jackson;
import java.util.List;
import java.util.UUID;
import org.custody.evidence.EvidenceDetails;
import org.custody.web.Json;
import org.junit.jupiter.api.Test;

/** The shapes the replay gives records, which the tables' reading must give them too. */
class RecordShapesTest {
    private static final ObjectMapper MAPPER = Json.configure(Jackson.newObjectMapper());
    private static final UUID FIRST = UUID.fromString("0190f5a0-0000-7000-8000-000000000001");
    private static final UUID SECOND = UUID.fromString("0190f5a0-0000-7000-8000-000000000002");

    private final RecordShapes shapes = new RecordShapes(MAPPER);

    @Test
    void aPatchReplacesTheDetailsAndLeavesTheFieldsTheServiceSets() throws Exception {
        ObjectNode record = evidence("""
                "kind":"TESTIMONY","title":"An invented account","description":"Before the revision","verificationStatus":"VERIFIED\"""");

        shapes.patchDetails(record, RecordShapes.EVIDENCE_META, MAPPER.readTree("""
                {"description":null,"title":"An invented account, revised","verificationStatus":null}"""), EvidenceDetails.class);

        // the status patched away comes back as the model's default, as the service stores it
        assertThat(record).isEqualTo(evidence("""
                "kind":"TESTIMONY","title":"An invented account, revised","verificationStatus":"UNVERIFIED\""""));
    }

    @Test
    void aPatchWhoseDetailsFitNoModelIsRefusedAndChangesNothing() throws Exception {
        ObjectNode record = evidence("\"kind\":\"TESTIMONY\",\"title\":\"An invented account\",\"verificationStatus\":\"UNVERIFIED\"");
        ObjectNode before = record.deepCopy();

        // a field the service sets is not a detail: a patch naming one does not reach the record
        assertThatThrownBy(() -> shapes.patchDetails(record, RecordShapes.EVIDENCE_META, MAPPER.readTree("{\"version\":99}"), EvidenceDetails.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("patched details do not fit the model");
        assertThat(record).isEqualTo(before);
    }

    @Test
    void idsAreListedOnceEachInOrder() {
        assertThat(shapes.sortedIds(List.of(SECOND, FIRST, SECOND)).toString())
                .isEqualTo("[\"" + FIRST + "\",\"" + SECOND + "\"]");
    }

    @Test
    void aGrantIsKeyedByItsCaseAndItsUser() throws Exception {
        String key = RecordShapes.grantKey(MAPPER.readTree("{\"caseId\":\"" + FIRST + "\",\"userId\":\"" + SECOND + "\",\"until\":null}"));
        assertThat(key).isEqualTo(FIRST + "/" + SECOND);
        assertThat(RecordShapes.isGrantOf(key, FIRST.toString())).as("a grant of its case").isTrue();
        assertThat(RecordShapes.isGrantOf(key, SECOND.toString())).as("not of a case that is its user's id").isFalse();
    }

    private static ObjectNode evidence(String details) throws Exception {
        return (ObjectNode) MAPPER.readTree("{\"id\":\"" + FIRST + "\",\"version\":3,\"caseIds\":[\"" + SECOND + "\"],"
                + "\"createdAt\":\"2026-12-04T03:00:00.000Z\",\"updatedAt\":\"2026-12-05T03:00:00.000Z\"," + details + "}");
    }
}
