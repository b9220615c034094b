package org.custody.log;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.custody.access.Viewer;

/**
 * What an administrator is shown of the log's payloads. Every entry keeps its bytes and leaf hash, so the tree stays
 * checkable by whoever reads it; but the payload of an entry that states what is known about a detainee
 * ({@link LogAction#CASE_CONTENT}: the case, its timeline, its evidence) goes only to a reader who may read that
 * case or evidence item now, by the rule every other read of it follows. Managing access does not by itself grant
 * reading case content (issue 4): an administrator who holds no role that reads cases sees that an entry was written,
 * by whom and when, not what it says.
 */
public final class PayloadAccess {
    /** Which of these records (cases, evidence items) the viewer may read now, decided where those records live. */
    @FunctionalInterface
    public interface Readable {
        Set<UUID> among(Viewer viewer, Set<UUID> recordIds);
    }

    private final Readable readable;

    public PayloadAccess(Readable readable) {
        this.readable = readable;
    }

    /** The records as this viewer may see them: case content they may not read has its payload withheld. */
    public List<LogRecord> shownTo(Viewer viewer, List<LogRecord> records) {
        Set<UUID> about = records.stream().filter(PayloadAccess::guarded).flatMap(record -> record.subjectId().stream())
                .collect(Collectors.toSet());
        Set<UUID> allowed = about.isEmpty() ? Set.of() : readable.among(viewer, about);
        return records.stream()
                .map(record -> guarded(record) && !record.subjectId().map(allowed::contains).orElse(false) ? record.withPayloadWithheld() : record)
                .toList();
    }

    public LogRecord shownTo(Viewer viewer, LogRecord record) {
        return shownTo(viewer, List.of(record)).get(0);
    }

    /** An entry with a payload that states what is known about a detainee, about the case or item it names as its subject. */
    private static boolean guarded(LogRecord record) {
        return record.payload() != null && record.action().map(LogAction.CASE_CONTENT::contains).orElse(false);
    }
}
