package org.custody.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.custody.log.LogAction;
import org.custody.log.LogDao;
import org.jdbi.v3.core.Jdbi;

/**
 * Which log entries an export carries and reading them in pages: the entries below the export's checkpoint that state
 * the content of its cases, and every entry about an evidence item linked to one of them (its creation may have been
 * recorded against another case). Only their indexes are held, eight bytes each; the entries are read a page at a time.
 */
final class ExportEntries {
    static final int PAGE = 1_000;
    private static final List<String> CONTENT = LogAction.CASE_CONTENT.stream().map(LogAction::wireName).sorted().toList();

    private final Jdbi jdbi;

    ExportEntries(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The indexes, ascending and distinct, of the entries about {@code caseIds} in the tree of {@code size}. */
    long[] indexes(List<UUID> caseIds, long size) {
        return jdbi.withExtension(ExportDao.class, exports -> {
            Set<Long> indexes = new HashSet<>();
            Set<UUID> evidence = new HashSet<>();
            for (List<UUID> cases : pages(caseIds)) {
                indexes.addAll(exports.caseEntryIndexes(cases, size, CONTENT));
                evidence.addAll(exports.evidenceOf(cases, size));
            }
            for (List<UUID> items : pages(new ArrayList<>(evidence))) {
                indexes.addAll(exports.evidenceEntryIndexes(items, size, CONTENT));
            }
            return indexes.stream().mapToLong(Long::longValue).sorted().toArray();
        });
    }

    /** Reads the entries at {@code indexes} a page at a time, in index order. */
    void forEach(long[] indexes, Consumer<LogDao.StoredEntry> action) {
        for (int from = 0; from < indexes.length; from += PAGE) {
            List<Long> page = Arrays.stream(indexes, from, Math.min(indexes.length, from + PAGE)).boxed().toList();
            jdbi.withExtension(ExportDao.class, exports -> exports.entriesAt(page)).forEach(action);
        }
    }

    private static <T> List<List<T>> pages(List<T> items) {
        List<List<T>> pages = new ArrayList<>();
        for (int i = 0; i < items.size(); i += PAGE) {
            pages.add(items.subList(i, Math.min(items.size(), i + PAGE)));
        }
        return pages;
    }
}
