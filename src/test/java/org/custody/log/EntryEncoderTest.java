package org.custody.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The exact bytes of a log entry, which the next layer (the Merkle tree) hashes. */
class EntryEncoderTest {
    private final EntryEncoder encoder = new EntryEncoder(new ObjectMapper().registerModule(new JavaTimeModule()), new SecureRandom());

    @Test
    void entryBytesAreTheCanonicalEnvelopeWithASaltedCommitmentAndNoPayloadContent() throws Exception {
        UUID actorId = UUID.fromString("11111111-2222-3333-4444-555555555555");
        UUID caseId = UUID.fromString("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
        LogEvent event = LogEvent.aboutCase(LogAction.CASE_STATUS_CHANGED, caseId, Map.of("name", "Արամ", "status", "RELEASED"));

        EntryEncoder.EncodedEntry entry = encoder.encode(41, Instant.parse("2026-11-23T10:15:30Z"), new Actor(actorId, "maria"), event);

        assertThat(entry.payload()).isEqualTo("{\"name\":\"Արամ\",\"status\":\"RELEASED\"}");
        assertThat(entry.salt()).hasSize(32);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(entry.salt());
        String commitment = Base64.getEncoder().encodeToString(sha256.digest(entry.payload().getBytes(StandardCharsets.UTF_8)));
        assertThat(new String(entry.entryBytes(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"action\":\"case.status_changed\",\"actor\":{\"id\":\"11111111-2222-3333-4444-555555555555\",\"username\":\"maria\"},"
                        + "\"index\":41,\"payload\":\"" + commitment + "\",\"subject\":{\"id\":\"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\",\"type\":\"case\"},"
                        + "\"time\":\"2026-11-23T10:15:30.000Z\",\"v\":1}");
    }

    @Test
    void saltsDifferSoEqualPayloadsGiveDifferentCommitments() {
        LogEvent event = LogEvent.of(LogAction.SIGN_IN_FAILED, null, Map.of());
        EntryEncoder.EncodedEntry first = encoder.encode(0, Instant.EPOCH, null, event);
        EntryEncoder.EncodedEntry second = encoder.encode(0, Instant.EPOCH, null, event);
        assertThat(first.entryBytes()).isNotEqualTo(second.entryBytes());
        assertThat(new String(first.entryBytes(), StandardCharsets.UTF_8)).contains("\"actor\":null").contains("\"subject\":null");
    }
}
