package org.custody.audit;

import static org.custody.common.SqlTimes.instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.custody.cases.CaseDocuments;
import org.custody.cases.CaseRecord;
import org.custody.cases.CaseStatus;
import org.custody.cases.StatusChange;
import org.custody.common.PartialDate;
import org.custody.evidence.CustodyAction;
import org.custody.evidence.CustodyEvent;
import org.custody.log.JcsReader;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The service's tables read in the shapes the replay produces, with plain SQL of its own (not the service's DAOs),
 * so that the comparison does not trust the code it checks more than it must. Rows are handed over one at a time as
 * they are read (in a transaction, with a fetch size, so that PostgreSQL streams them too): a table of a million
 * cases is never held in memory beside its replay. The tables sign-in reads are {@link SignInTables}'.
 */
final class TableState {
    private static final int FETCH = 1_000;

    /**
     * Receives each row by its key. The row is built when asked for, so that the costly part of turning a row into
     * its record (parsing its JSON details) can run on all cores while the rows are still being read on one.
     */
    interface Rows {
        /**
         * @param columns what is wrong with the row's columns that its record does not show (those derived from it, for
         *     search and filters), asked once the record matches the log: null when nothing is
         */
        void row(String key, Supplier<JsonNode> row, Function<JsonNode, String> columns);

        default void row(String key, Supplier<JsonNode> row) {
            row(key, row, record -> null);
        }
    }

    /** A row read, with its record still to build. */
    record Row(String key, Supplier<JsonNode> record, Function<JsonNode, String> columns) {}

    private final ObjectMapper mapper;
    private final JcsReader reader;
    private final RecordShapes shapes;
    private final Handle handle;

    TableState(ObjectMapper mapper, Handle handle) {
        this.mapper = mapper;
        this.reader = new JcsReader(mapper);
        this.shapes = new RecordShapes(mapper);
        this.handle = handle;
    }

    Query query(String sql) {
        return handle.createQuery(sql).setFetchSize(FETCH);
    }

    void cases(Rows rows) {
        query("SELECT id, reference, reference_seq, version, status, restricted, category, search_text, details, created_at, updated_at FROM cases")
                .map((rs, ctx) -> {
                    Versioned row = versioned(rs);
                    String reference = rs.getString("reference");
                    String status = rs.getString("status");
                    boolean restricted = rs.getBoolean("restricted");
                    long referenceSequence = rs.getLong("reference_seq");
                    CaseDocuments.Derived derived = new CaseDocuments.Derived(rs.getString("category"), rs.getString("search_text"));
                    return new Row(row.id(), () -> record(row, record -> record.put("reference", reference).put("status", status).put("restricted", restricted)),
                            record -> caseColumns(record, referenceSequence, derived));
                }).forEach(row -> rows.row(row.key(), row.record(), row.columns()));
    }

    /** A case's columns for lists, filters and name search, against the record they derive from. */
    private static String caseColumns(JsonNode record, long referenceSequence, CaseDocuments.Derived stored) {
        CaseDocuments.Derived expected = CaseDocuments.Derived.of(record);
        if (!expected.category().equals(stored.category())) {
            return "column category does not match its details (list filters read it)";
        }
        if (!expected.searchText().equals(stored.searchText())) {
            return "column search_text does not match the names in its details (name search reads it)";
        }
        if (CaseRecord.sequenceOf(record.path("reference").asText()) != referenceSequence) {
            return "column reference_seq does not match its reference (lists are ordered by it)";
        }
        return null;
    }

    void statusChanges(Rows rows) {
        query("SELECT * FROM status_change").map((rs, ctx) -> new StatusChange(uuid(rs, "id"), uuid(rs, "case_id"), rs.getInt("seq"),
                CaseStatus.valueOf(rs.getString("from_status")), CaseStatus.valueOf(rs.getString("status")),
                new PartialDate(rs.getString("effective_date"), rs.getBoolean("effective_approximate")), rs.getString("reason"),
                ids(rs.getString("evidence_ids")), uuid(rs, "recorded_by"), instant(rs, "recorded_at")))
                .forEach(change -> rows.row(change.id().toString(), () -> mapper.valueToTree(change)));
    }

    void evidence(Rows rows) {
        Map<String, List<UUID>> links = new HashMap<>();
        query("SELECT evidence_id, case_id FROM evidence_case").map((rs, ctx) -> new UUID[] {uuid(rs, "evidence_id"), uuid(rs, "case_id")})
                .forEach(link -> links.computeIfAbsent(link[0].toString(), id -> new ArrayList<>()).add(link[1]));
        query("SELECT id, version, kind, sha256, details, created_at, updated_at FROM evidence").map((rs, ctx) -> {
            Versioned row = versioned(rs);
            String kind = rs.getString("kind");
            String sha256 = rs.getString("sha256");
            return new Row(row.id(), () -> record(row, record -> record.set("caseIds", shapes.sortedIds(links.getOrDefault(row.id(), List.of())))),
                    record -> evidenceColumns(record, kind, sha256));
        }).forEach(row -> rows.row(row.key(), row.record(), row.columns()));
    }

    /** What an evidence row's derived columns say against its details: null when they agree. */
    private static String evidenceColumns(JsonNode record, String kind, String sha256) {
        if (!kind.equals(record.path("kind").asText())) {
            return "column kind does not match its details";
        }
        if (!Objects.equals(sha256, record.path("sha256").textValue())) {
            return "column sha256 does not match its details (look-ups by digest read it)";
        }
        return null;
    }

    void custodyEvents(Rows rows) {
        query("SELECT * FROM custody_event").map((rs, ctx) -> new CustodyEvent(uuid(rs, "id"), uuid(rs, "evidence_id"), rs.getInt("seq"),
                CustodyAction.valueOf(rs.getString("action")), instant(rs, "performed_at"), rs.getString("note"), uuid(rs, "recorded_by"),
                instant(rs, "recorded_at"))).forEach(event -> rows.row(event.id().toString(), () -> mapper.valueToTree(event)));
    }

    void keys(Rows rows) {
        query("SELECT key_id, name, public_key, valid_from, valid_until FROM log_key").map((rs, ctx) -> {
            ObjectNode key = mapper.createObjectNode();
            key.put("keyId", rs.getString("key_id"));
            key.put("name", rs.getString("name"));
            key.put("publicKey", Base64.getEncoder().encodeToString(rs.getBytes("public_key")));
            key.set("validFrom", time(instant(rs, "valid_from")));
            key.set("validUntil", rs.getTimestamp("valid_until") == null ? mapper.nullNode() : time(instant(rs, "valid_until")));
            return key;
        }).forEach(key -> rows.row(key.get("keyId").asText(), () -> key));
    }

    void grants(Rows rows) {
        query("SELECT case_id, user_id, granted_by, granted_at, expires_at, reason FROM case_grant").map((rs, ctx) -> {
            ObjectNode grant = mapper.createObjectNode();
            grant.put("caseId", uuid(rs, "case_id").toString());
            grant.put("userId", uuid(rs, "user_id").toString());
            grant.put("grantedBy", rs.getObject("granted_by") == null ? null : uuid(rs, "granted_by").toString());
            grant.set("grantedAt", time(instant(rs, "granted_at")));
            grant.set("expiresAt", rs.getTimestamp("expires_at") == null ? mapper.nullNode() : time(instant(rs, "expires_at")));
            if (rs.getString("reason") != null) {
                // grants logged before reasons were asked for carry no member at all
                grant.put("reason", rs.getString("reason"));
            }
            return grant;
        }).forEach(grant -> rows.row(RecordShapes.grantKey(grant), () -> grant));
    }

    void exports(Rows rows) {
        Map<String, com.fasterxml.jackson.databind.node.ArrayNode> cases = new HashMap<>();
        query("""
                SELECT x.export_id, x.case_id AS id, COALESCE(c.reference, e.reference) AS reference FROM export_case x
                LEFT JOIN cases c ON c.id = x.case_id LEFT JOIN log_erased_case e ON e.case_id = x.case_id ORDER BY reference""")
                .map((rs, ctx) -> {
                    ObjectNode exported = mapper.createObjectNode();
                    exported.put("id", uuid(rs, "id").toString());
                    exported.put("reference", rs.getString("reference"));
                    cases.computeIfAbsent(uuid(rs, "export_id").toString(), id -> mapper.createArrayNode()).add(exported);
                    return exported;
                }).list();
        query("SELECT id, requested_by, purpose, include_payloads, checkpoint_size, created_at FROM exports").map((rs, ctx) -> {
            ObjectNode export = mapper.createObjectNode();
            String id = uuid(rs, "id").toString();
            export.put("id", id);
            export.put("requestedBy", uuid(rs, "requested_by").toString());
            export.put("purpose", rs.getString("purpose"));
            export.set("cases", cases.getOrDefault(id, mapper.createArrayNode()));
            export.put("includePayloads", rs.getBoolean("include_payloads"));
            export.put("checkpointSize", rs.getLong("checkpoint_size"));
            export.set("createdAt", time(instant(rs, "created_at")));
            return export;
        }).forEach(export -> rows.row(export.get("id").asText(), () -> export));
    }

    void erasures(Rows rows) {
        query("SELECT idx, case_id FROM log_erasure").map((rs, ctx) -> {
            ObjectNode erased = mapper.createObjectNode();
            erased.put("idx", rs.getLong("idx"));
            erased.put("caseId", uuid(rs, "case_id").toString());
            return erased;
        }).forEach(erased -> rows.row(erased.get("idx").asText(), () -> erased));
    }

    /** Cases' pending erasure proposals: the list of proposals and the approval read them. */
    void erasureProposals(Rows rows) {
        query("SELECT id, erasure_proposal FROM cases WHERE erasure_proposal IS NOT NULL").map((rs, ctx) -> {
            String caseId = uuid(rs, "id").toString();
            return ErasureProposals.pendingRecord(mapper, caseId, rs.getLong("erasure_proposal"));
        }).forEach(proposal -> rows.row(proposal.get("caseId").asText(), () -> proposal));
    }

    void erasedCases(Rows rows) {
        query("SELECT case_id, reference, reference_seq FROM log_erased_case").map((rs, ctx) -> {
            ObjectNode erased = mapper.createObjectNode();
            erased.put("caseId", uuid(rs, "case_id").toString());
            erased.put("reference", rs.getString("reference"));
            long referenceSequence = rs.getLong("reference_seq");
            return new Row(erased.get("caseId").asText(), () -> erased, record -> CaseRecord.sequenceOf(record.path("reference").asText()) == referenceSequence
                    ? null : "column reference_seq does not match its reference (no later case may be given the reference)");
        }).forEach(row -> rows.row(row.key(), row.record(), row.columns()));
    }

    /** The columns that cases and evidence items share, as read from their row. */
    private record Versioned(String id, long version, Instant createdAt, Instant updatedAt, String details) {}

    private static Versioned versioned(ResultSet rs) throws SQLException {
        return new Versioned(uuid(rs, "id").toString(), rs.getLong("version"), instant(rs, "created_at"), instant(rs, "updated_at"),
                rs.getString("details"));
    }

    /** A case or evidence record: the shared columns, its own ({@code columns}), and the fields of its stored details. */
    private ObjectNode record(Versioned row, Consumer<ObjectNode> columns) {
        ObjectNode record = mapper.createObjectNode();
        record.put("id", row.id());
        record.put("version", row.version());
        columns.accept(record);
        record.set("createdAt", time(row.createdAt()));
        record.set("updatedAt", time(row.updatedAt()));
        record.setAll((ObjectNode) json(row.details()));
        return record;
    }

    /** Stored details are written in canonical form, so they are read the fast way unless they no longer are. */
    private JsonNode json(String text) {
        JsonNode details = reader.read(text);
        if (details != null) {
            return details;
        }
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored details are not JSON", e);
        }
    }

    /**
     * A time as the mapper writes it into a record (Jackson's InstantSerializer without a format writes
     * {@link Instant#toString()}), without a serialisation pass for each of a million rows.
     */
    static JsonNode time(Instant instant) {
        return JsonNodeFactory.instance.textNode(InstantText.of(instant));
    }

    static UUID uuid(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, UUID.class);
    }

    private static List<UUID> ids(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.stream(joined.split(",")).map(UUID::fromString).toList();
    }
}
