package org.custody.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.custody.log.LogAction;
import org.custody.log.LogDao;
import org.jdbi.v3.core.Jdbi;

/**
 * Which log entries an export carries and reading them in pages: the entries below the export's checkpoint that state
 * the content of its cases, and every entry about an evidence item linked to one of them (its creation may have been
 * recorded against another case). An item since taken off every exported case is carried up to its last removal, its
 * later entries being about other people; and an item's removal from a case that is not exported stays out, since its
 * reason speaks of that case. Only indexes are held, eight bytes each; the entries are read a page at a time.
 */
final class ExportEntries {
    static final int PAGE = 1_000;
    private static final List<String> CONTENT = LogAction.CASE_CONTENT.stream().map(LogAction::wireName).sorted().toList();
    private static final List<String> ITEM_CONTENT = CONTENT.stream().filter(action -> !action.equals(LogAction.EVIDENCE_UNLINKED.wireName())).toList();

    private final Jdbi jdbi;

    ExportEntries(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The indexes, ascending and distinct, of the entries about {@code caseIds} in the tree of {@code size}. */
    long[] indexes(List<UUID> caseIds, long size) {
        return jdbi.withExtension(ExportDao.class, exports -> {
            Set<Long> indexes = new HashSet<>();
            LinkSpans spans = new LinkSpans(size);
            for (List<UUID> cases : pages(caseIds)) {
                indexes.addAll(exports.caseEntryIndexes(cases, size, CONTENT));
                exports.linkChanges(cases, size).forEach(spans::add);
            }
            for (List<UUID> items : pages(new ArrayList<>(spans.items()))) {
                for (ExportDao.ItemEntry entry : exports.evidenceEntries(items, size, ITEM_CONTENT)) {
                    if (entry.index() < spans.end(entry.evidenceId())) {
                        indexes.add(entry.index());
                    }
                }
            }
            return indexes.stream().mapToLong(Long::longValue).sorted().toArray();
        });
    }

    /**
     * Up to where each evidence item belongs to the exported cases: the export's size while it is linked to one of them,
     * else the index of the entry that took it off the last of them.
     */
    private static final class LinkSpans {
        private final long size;
        private final Map<UUID, Set<UUID>> linkedCases = new HashMap<>();
        private final Map<UUID, Long> lastRemoval = new HashMap<>();

        LinkSpans(long size) {
            this.size = size;
        }

        /** Changes arrive in log order for each item and case (the cases come a page at a time, each page in log order). */
        void add(ExportDao.LinkChange change) {
            Set<UUID> linked = linkedCases.computeIfAbsent(change.evidenceId(), item -> new HashSet<>());
            if (change.unlinked()) {
                linked.remove(change.caseId());
                lastRemoval.merge(change.evidenceId(), change.index(), Math::max);
            } else {
                linked.add(change.caseId());
            }
        }

        Set<UUID> items() {
            return linkedCases.keySet();
        }

        long end(UUID item) {
            return linkedCases.get(item).isEmpty() ? lastRemoval.getOrDefault(item, size) : size;
        }
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
