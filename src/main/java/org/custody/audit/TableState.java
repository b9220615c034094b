package org.custody.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.custody.access.Role;
import org.custody.access.User;
import org.custody.cases.CaseStatus;
import org.custody.cases.StatusChange;
import org.custody.common.PartialDate;
import org.custody.evidence.CustodyAction;
import org.custody.evidence.CustodyEvent;
import org.jdbi.v3.core.Handle;

/**
 * The service's tables read in the shapes the replay produces, with plain SQL of its own (not the service's DAOs),
 * so that the comparison does not trust the code it checks more than it must.
 */
final class TableState {
    private final ObjectMapper mapper;
    private final Replay shapes;

    TableState(ObjectMapper mapper, Replay shapes) {
        this.mapper = mapper;
        this.shapes = shapes;
    }

    Map<String, JsonNode> users(Handle handle) {
        Map<String, JsonNode> users = new TreeMap<>();
        handle.createQuery("SELECT id, username, display_name, roles, active, created_at FROM users").map((rs, ctx) -> {
            EnumSet<Role> roles = EnumSet.noneOf(Role.class);
            String stored = rs.getString("roles");
            if (!stored.isEmpty()) Arrays.stream(stored.split(",")).map(Role::valueOf).forEach(roles::add);
            return new User(uuid(rs, "id"), rs.getString("username"), rs.getString("display_name"), roles, rs.getBoolean("active"), instant(rs, "created_at"));
        }).forEach(user -> users.put(user.id().toString(), mapper.valueToTree(user)));
        return users;
    }

    Map<String, ObjectNode> cases(Handle handle) {
        Map<String, ObjectNode> cases = new TreeMap<>();
        handle.createQuery("SELECT id, reference, version, status, restricted, details, created_at, updated_at FROM cases").map((rs, ctx) -> {
            ObjectNode record = mapper.createObjectNode();
            record.put("id", uuid(rs, "id").toString());
            record.put("reference", rs.getString("reference"));
            record.put("version", rs.getLong("version"));
            record.put("status", rs.getString("status"));
            record.put("restricted", rs.getBoolean("restricted"));
            record.set("createdAt", mapper.valueToTree(instant(rs, "created_at")));
            record.set("updatedAt", mapper.valueToTree(instant(rs, "updated_at")));
            record.setAll((ObjectNode) json(rs.getString("details")));
            return record;
        }).forEach(record -> cases.put(record.get("id").asText(), record));
        return cases;
    }

    Map<String, JsonNode> statusChanges(Handle handle) {
        Map<String, JsonNode> changes = new TreeMap<>();
        handle.createQuery("SELECT * FROM status_change").map((rs, ctx) -> new StatusChange(uuid(rs, "id"), uuid(rs, "case_id"), rs.getInt("seq"),
                CaseStatus.valueOf(rs.getString("from_status")), CaseStatus.valueOf(rs.getString("status")),
                new PartialDate(rs.getString("effective_date"), rs.getBoolean("effective_approximate")), rs.getString("reason"),
                ids(rs.getString("evidence_ids")), uuid(rs, "recorded_by"), instant(rs, "recorded_at")))
                .forEach(change -> changes.put(change.id().toString(), mapper.valueToTree(change)));
        return changes;
    }

    Map<String, ObjectNode> evidence(Handle handle) {
        Map<String, List<UUID>> links = new HashMap<>();
        handle.createQuery("SELECT evidence_id, case_id FROM evidence_case").map((rs, ctx) -> new UUID[] {uuid(rs, "evidence_id"), uuid(rs, "case_id")})
                .forEach(link -> links.computeIfAbsent(link[0].toString(), id -> new ArrayList<>()).add(link[1]));
        Map<String, ObjectNode> evidence = new TreeMap<>();
        handle.createQuery("SELECT id, version, details, created_at, updated_at FROM evidence").map((rs, ctx) -> {
            ObjectNode record = mapper.createObjectNode();
            String id = uuid(rs, "id").toString();
            record.put("id", id);
            record.put("version", rs.getLong("version"));
            record.set("caseIds", shapes.sortedIds(links.getOrDefault(id, List.of())));
            record.set("createdAt", mapper.valueToTree(instant(rs, "created_at")));
            record.set("updatedAt", mapper.valueToTree(instant(rs, "updated_at")));
            record.setAll((ObjectNode) json(rs.getString("details")));
            return record;
        }).forEach(record -> evidence.put(record.get("id").asText(), record));
        return evidence;
    }

    Map<String, JsonNode> custodyEvents(Handle handle) {
        Map<String, JsonNode> events = new TreeMap<>();
        handle.createQuery("SELECT * FROM custody_event").map((rs, ctx) -> new CustodyEvent(uuid(rs, "id"), uuid(rs, "evidence_id"), rs.getInt("seq"),
                CustodyAction.valueOf(rs.getString("action")), instant(rs, "performed_at"), rs.getString("note"), uuid(rs, "recorded_by"),
                instant(rs, "recorded_at"))).forEach(event -> events.put(event.id().toString(), mapper.valueToTree(event)));
        return events;
    }

    Map<String, ObjectNode> keys(Handle handle) {
        Map<String, ObjectNode> keys = new TreeMap<>();
        handle.createQuery("SELECT key_id, name, public_key, valid_from, valid_until FROM log_key").map((rs, ctx) -> {
            ObjectNode key = mapper.createObjectNode();
            key.put("keyId", rs.getString("key_id"));
            key.put("name", rs.getString("name"));
            key.put("publicKey", Base64.getEncoder().encodeToString(rs.getBytes("public_key")));
            key.set("validFrom", mapper.valueToTree(instant(rs, "valid_from")));
            key.set("validUntil", rs.getTimestamp("valid_until") == null ? mapper.nullNode() : mapper.valueToTree(instant(rs, "valid_until")));
            return key;
        }).forEach(key -> keys.put(key.get("keyId").asText(), key));
        return keys;
    }

    Map<String, JsonNode> grants(Handle handle) {
        Map<String, JsonNode> grants = new TreeMap<>();
        handle.createQuery("SELECT case_id, user_id, granted_by, granted_at, expires_at FROM case_grant").map((rs, ctx) -> {
            ObjectNode grant = mapper.createObjectNode();
            grant.put("caseId", uuid(rs, "case_id").toString());
            grant.put("userId", uuid(rs, "user_id").toString());
            grant.put("grantedBy", rs.getObject("granted_by") == null ? null : uuid(rs, "granted_by").toString());
            grant.set("grantedAt", mapper.valueToTree(instant(rs, "granted_at")));
            grant.set("expiresAt", rs.getTimestamp("expires_at") == null ? mapper.nullNode() : mapper.valueToTree(instant(rs, "expires_at")));
            return grant;
        }).forEach(grant -> grants.put(Replay.grantKey(grant), grant));
        return grants;
    }

    Map<String, JsonNode> exports(Handle handle) {
        Map<String, com.fasterxml.jackson.databind.node.ArrayNode> cases = new HashMap<>();
        handle.createQuery("SELECT x.export_id, c.id, c.reference FROM export_case x JOIN cases c ON c.id = x.case_id ORDER BY c.reference")
                .map((rs, ctx) -> {
                    ObjectNode exported = mapper.createObjectNode();
                    exported.put("id", uuid(rs, "id").toString());
                    exported.put("reference", rs.getString("reference"));
                    cases.computeIfAbsent(uuid(rs, "export_id").toString(), id -> mapper.createArrayNode()).add(exported);
                    return exported;
                }).list();
        Map<String, JsonNode> exports = new TreeMap<>();
        handle.createQuery("SELECT id, requested_by, purpose, include_payloads, checkpoint_size, created_at FROM exports").map((rs, ctx) -> {
            ObjectNode export = mapper.createObjectNode();
            String id = uuid(rs, "id").toString();
            export.put("id", id);
            export.put("requestedBy", uuid(rs, "requested_by").toString());
            export.put("purpose", rs.getString("purpose"));
            export.set("cases", cases.getOrDefault(id, mapper.createArrayNode()));
            export.put("includePayloads", rs.getBoolean("include_payloads"));
            export.put("checkpointSize", rs.getLong("checkpoint_size"));
            export.set("createdAt", mapper.valueToTree(instant(rs, "created_at")));
            return export;
        }).forEach(export -> exports.put(export.get("id").asText(), export));
        return exports;
    }

    private JsonNode json(String text) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored details are not JSON", e);
        }
    }

    private static UUID uuid(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, UUID.class);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getTimestamp(column).toInstant();
    }

    private static List<UUID> ids(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.stream(joined.split(",")).map(UUID::fromString).toList();
    }
}
