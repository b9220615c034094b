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
    /** The open sessions by id: the user, the expiry and the scope its sign-in entry gave it. */
    final ReplayedRecords<JsonNode> sessions;
    /** Each open session's token digest, as its sign-in entry committed to it. */
    final Map<String, String> tokenDigests = new HashMap<>();
    private final Map<String, Instant> expiries = new HashMap<>();
    private final Map<String, Set<String>> sessionsByUser = new HashMap<>();
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
            case "user.updated" -> payload.path("user").path("active").asBoolean(true) ? null : endAll(subjectId, payload.path("sessionsEnded").asInt(-1));
            default -> null;
        };
    }

    private void open(String userId, JsonNode payload) {
        String sessionId = payload.path("sessionId").asText();
        expiries.put(sessionId, instant(payload.path("expiresAt").asText()));
        ObjectNode session = mapper.createObjectNode();
        session.put("userId", userId);
        session.set("expiresAt", payload.get("expiresAt"));
        session.set("scope", payload.get("scope"));
        sessions.put(sessionId, session);
        sessionsByUser.computeIfAbsent(userId, user -> new HashSet<>()).add(sessionId);
        JsonNode token = payload.get("tokenDigest");
        if (token != null) {
            tokenDigests.put(sessionId, token.asText());
        }
    }

    private boolean close(String userId, String sessionId) {
        Set<String> open = sessionsByUser.get(userId);
        if (open == null || !open.remove(sessionId)) {
            return false;
        }
        forget(sessionId);
        return true;
    }

    private void forget(String sessionId) {
        sessions.remove(sessionId);
        tokenDigests.remove(sessionId);
        expiries.remove(sessionId);
    }

    /** A sign-in that removed its user's sessions past their lifetime, as of its entry's time. */
    private String endExpired(String userId, String time, int ended) {
        Instant now = instant(time);
        Set<String> open = sessionsByUser.getOrDefault(userId, Set.of());
        List<String> expired = open.stream().filter(id -> now != null && expiries.get(id) != null && !expiries.get(id).isAfter(now)).toList();
        expired.forEach(id -> {
            open.remove(id);
            forget(id);
        });
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
        Set<String> open = sessionsByUser.remove(userId);
        int logged = open == null ? 0 : open.size();
        if (open != null) {
            open.forEach(this::forget);
        }
        return ended == logged ? null : "ends " + ended + " sessions of user " + userId + ", the log has " + logged + " open";
    }
}
