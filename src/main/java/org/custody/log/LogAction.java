package org.custody.log;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** The closed vocabulary of log entries. The wire names are part of the signed log: never rename one. */
public enum LogAction {
    USER_CREATED("user.created"),
    SIGNED_IN("auth.signed_in"),
    SIGN_IN_FAILED("auth.sign_in_failed"),
    SIGNED_OUT("auth.signed_out"),
    CASE_CREATED("case.created"),
    CASE_UPDATED("case.updated"),
    CASE_STATUS_CHANGED("case.status_changed"),
    EVIDENCE_CREATED("evidence.created"),
    EVIDENCE_UPDATED("evidence.updated"),
    EVIDENCE_LINKED("evidence.linked"),
    CUSTODY_EVENT_RECORDED("evidence.custody_event_recorded"),
    LOG_KEY_REGISTERED("log.key_registered"),
    LOG_KEY_ROTATED("log.key_rotated");

    private final String wireName;

    LogAction(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public static Optional<LogAction> fromWireName(String name) {
        return Arrays.stream(values()).filter(action -> action.wireName.equals(name)).findFirst();
    }
}
