package org.custody.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who may sign in and who is signed in, as the log's entries left it: each user's second-factor switch and the digest
 * of their credentials (from the last entry that changed them), and the sessions open. Secrets are not in the log,
 * but what they let a holder do is, so a password hash, a second factor or a session put into the tables behind the
 * log's back no longer matches. The entries concerned name their user only as their subject, so this follows the
 * subject beside the payload. Every session a sign-in, sign-out, revocation or credential change opened or ended is
 * followed, and the sessions past their lifetime that each sign-in removes for its user (counted by its entry, as of
 * its time). An entry written before the log carried digests and that count commits to none; its user's credentials,
 * its session's token or its user's expired sessions are then not checked.
 */
final class SignInState {
    /** The users whose second factor is on (the ids, as strings). */
    final Set<String> secondFactors = new HashSet<>();
    /** Each user's credentials digest, as the last entry that changed them committed to it. */
    final Map<String, String> credentialsDigests = new HashMap<>();
    /** The open sessions by id, in the shape of their table rows: the user, the expiry and the scope their sign-in gave them. */
    final ReplayedRecords<JsonNode> sessions;
    /** The same sessions by user, with what is checked of them beside their rows: their expiry and their token's digest. */
    private final Map<String, Map<String, OpenSession>> sessionsByUser = new HashMap<>();

    /** @param tokenDigest null when the sign-in predates token digests */
    private record OpenSession(Instant expiresAt, String tokenDigest) {}

    private final ObjectMapper mapper;

    SignInState(ObjectMapper mapper) {
        this.mapper = mapper;
        this.sessions = new ReplayedRecords<>(mapper, JsonNode.class, true);
    }

    /**
     * Follows one entry; returns a problem, or null. {@code payload} is null when the entry has none to read (an
     * erased or damaged payload is reported by the entry's own checks).
     */
    String follow(String action, String subjectId, String time, JsonNode payload) {
        try {
            return followChecked(action, subjectId, time, payload);
        } catch (RuntimeException e) {
            return "payload cannot be followed for sign-ins and sessions (" + e.getClass().getSimpleName() + ")";
        }
    }

    private String followChecked(String action, String subjectId, String time, JsonNode payload) {
        if (subjectId == null) {
            return null; // an entry about no one (a failed sign-in for an unknown name)
        }
        switch (action) {
            case "user.totp_enabled" -> secondFactors.add(subjectId);
            case "user.totp_enrolment_started", "user.totp_reset" -> secondFactors.remove(subjectId);
            default -> {
                // no other entry switches a second factor
            }
        }
        if (payload == null) {
            return null;
        }
        JsonNode digest = payload.get("credentialsDigest");
        if (digest != null) {
            credentialsDigests.put(subjectId, digest.asText());
        }
        return switch (action) {
            case "auth.signed_in" -> {
                String problem = payload.has("expiredSessionsEnded") ? endExpired(subjectId, time, payload.get("expiredSessionsEnded").asInt(-1)) : null;
                open(subjectId, payload);
                yield problem;
            }
            case "auth.signed_out" -> {
                close(subjectId, payload.path("sessionId").asText());
                yield null; // a sign-out that lost the race with a password change ends no session: its entry still stands
            }
            case "auth.session_revoked" -> close(subjectId, payload.path("sessionId").asText()) ? null
                    : "revokes session " + payload.path("sessionId").asText() + ", which the log has not open for user " + subjectId;
            case "user.password_reset", "user.password_changed", "user.totp_enabled" -> endAll(subjectId, payload.path("sessionsEnded").asInt(-1));
            // deactivation ends every session, and so does being made an administrator (ended sessions are counted)
            case "user.updated" -> payload.path("user").path("active").asBoolean(true) && payload.path("sessionsEnded").asInt(0) == 0 ? null
                    : endAll(subjectId, payload.path("sessionsEnded").asInt(-1));
            default -> null;
        };
    }

    private void open(String userId, JsonNode payload) {
        String sessionId = payload.path("sessionId").asText();
        ObjectNode session = mapper.createObjectNode();
        session.put("userId", userId);
        session.set("expiresAt", payload.get("expiresAt"));
        session.set("scope", payload.get("scope"));
        sessions.put(sessionId, session);
        JsonNode token = payload.get("tokenDigest");
        sessionsByUser.computeIfAbsent(userId, user -> new HashMap<>())
                .put(sessionId, new OpenSession(instant(payload.path("expiresAt").asText()), token == null ? null : token.asText()));
    }

    /** The digest of an open session's token as its sign-in committed to it; null when the log has none. */
    String tokenDigest(String userId, String sessionId) {
        OpenSession session = sessionsByUser.getOrDefault(userId, Map.of()).get(sessionId);
        return session == null ? null : session.tokenDigest();
    }

    private boolean close(String userId, String sessionId) {
        Map<String, OpenSession> open = sessionsByUser.get(userId);
        if (open == null || open.remove(sessionId) == null) {
            return false;
        }
        sessions.remove(sessionId);
        return true;
    }

    /** A sign-in that removed its user's sessions past their lifetime, as of its entry's time. */
    private String endExpired(String userId, String time, int ended) {
        Instant now = instant(time);
        Map<String, OpenSession> open = sessionsByUser.getOrDefault(userId, Map.of());
        List<String> expired = open.entrySet().stream()
                .filter(session -> now != null && session.getValue().expiresAt() != null && !session.getValue().expiresAt().isAfter(now))
                .map(Map.Entry::getKey).toList();
        expired.forEach(id -> close(userId, id));
        return ended == expired.size() ? null
                : "ends " + ended + " expired sessions of user " + userId + ", the log has " + expired.size() + " expired and open";
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null; // a damaged time: the entry's own checks report it, and nothing is taken as expired by it
        }
    }

    /** An entry that ended every session of its user (a password changed or reset, a second factor on, a deactivation). */
    private String endAll(String userId, int ended) {
        Map<String, OpenSession> open = sessionsByUser.remove(userId);
        int logged = open == null ? 0 : open.size();
        if (open != null) {
            open.keySet().forEach(sessions::remove);
        }
        return ended == logged ? null : "ends " + ended + " sessions of user " + userId + ", the log has " + logged + " open";
    }
}
