package org.custody.log;

import java.util.Set;
import java.util.UUID;

/**
 * What a change says about itself in the log: the action, the subject, the payload (the full change,
 * enough to replay it) and the cases it concerns, for case histories.
 */
public record LogEvent(LogAction action, Subject subject, Object payload, Set<UUID> caseIds) {
    public LogEvent {
        caseIds = Set.copyOf(caseIds);
    }

    public static LogEvent of(LogAction action, Subject subject, Object payload) {
        return new LogEvent(action, subject, payload, Set.of());
    }

    public static LogEvent aboutCase(LogAction action, UUID caseId, Object payload) {
        return new LogEvent(action, Subject.caseRecord(caseId), payload, Set.of(caseId));
    }
}
