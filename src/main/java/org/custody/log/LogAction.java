package org.custody.log;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** The closed vocabulary of log entries. The wire names are part of the signed log: never rename one. */
public enum LogAction {
    USER_CREATED("user.created"),
    USER_UPDATED("user.updated"),
    PASSWORD_RESET("user.password_reset"),
    PASSWORD_CHANGED("user.password_changed"),
    TOTP_ENROLMENT_STARTED("user.totp_enrolment_started"),
    TOTP_ENABLED("user.totp_enabled"),
    TOTP_RESET("user.totp_reset"),
    /** A second factor's secret, stored in the clear by a version before secrets were sealed, sealed in place. */
    TOTP_SEALED("user.totp_sealed"),
    SESSION_REVOKED("auth.session_revoked"),
    SIGNED_IN("auth.signed_in"),
    SIGN_IN_FAILED("auth.sign_in_failed"),
    SIGNED_OUT("auth.signed_out"),
    READS_LIMITED("auth.reads_limited"),
    CASE_CREATED("case.created"),
    CASE_UPDATED("case.updated"),
    CASE_STATUS_CHANGED("case.status_changed"),
    CASE_GRANT_ADDED("case.grant_added"),
    CASE_GRANT_REMOVED("case.grant_removed"),
    CASE_RESTRICTION_CHANGED("case.restriction_changed"),
    CASE_ERASURE_PROPOSED("case.erasure_proposed"),
    CASE_ERASURE_WITHDRAWN("case.erasure_withdrawn"),
    CASE_ERASED("case.erased"),
    CASE_VIEWED("case.viewed"),
    EVIDENCE_VIEWED("evidence.viewed"),
    EVIDENCE_CREATED("evidence.created"),
    EVIDENCE_UPDATED("evidence.updated"),
    EVIDENCE_LINKED("evidence.linked"),
    EVIDENCE_UNLINKED("evidence.unlinked"),
    CUSTODY_EVENT_RECORDED("evidence.custody_event_recorded"),
    EXPORT_CREATED("export.created"),
    EXPORT_DOWNLOADED("export.downloaded"),
    LOG_KEY_REGISTERED("log.key_registered"),
    LOG_KEY_ROTATED("log.key_rotated");

    /**
     * Entries about who may see a case and who did, and the erasure proposed of it: the access log, kept out of the case's
     * history.
     */
    public static final Set<LogAction> ACCESS = Collections.unmodifiableSet(
            EnumSet.of(CASE_GRANT_ADDED, CASE_GRANT_REMOVED, CASE_RESTRICTION_CHANGED, CASE_VIEWED, EVIDENCE_VIEWED, EXPORT_CREATED, EXPORT_DOWNLOADED,
                    CASE_ERASURE_PROPOSED, CASE_ERASURE_WITHDRAWN));

    /** Entries that state what is known about a detainee (the case, its timeline, its evidence): what an export carries. */
    public static final Set<LogAction> CASE_CONTENT = Collections.unmodifiableSet(
            EnumSet.of(CASE_CREATED, CASE_UPDATED, CASE_STATUS_CHANGED, EVIDENCE_CREATED, EVIDENCE_UPDATED, EVIDENCE_LINKED, EVIDENCE_UNLINKED,
                    CUSTODY_EVENT_RECORDED));

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
