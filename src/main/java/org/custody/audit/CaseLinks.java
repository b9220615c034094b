package org.custody.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Which cases each entry concerns, worked out from the log alone, to check the {@code log_case} links against. A
 * case's history and its exports are selected by those links, so a link added behind the log's back would put
 * another person's entries into a case file, and a link removed would leave one out.
 *
 * <p>The rule per action is the one the service applies when it records the change: a case entry concerns its case;
 * an evidence item's creation, edits and custody events concern every case it is linked to at that point of the log;
 * a link concerns the case it adds, and taking an item off a case concerns that case; a read of an evidence item
 * concerns the cases the reader was shown; an export and its downloads concern the exported cases. Other entries
 * (users, sessions, keys) concern no case.
 *
 * <p>Memory: a few bytes per link, some forty per case ({@link CaseNumbers}) and a map entry per evidence item and
 * export.
 */
final class CaseLinks {
    private final CaseNumbers caseNumbers = new CaseNumbers();
    private final Map<String, int[]> evidenceCases = new HashMap<>();
    private final Map<String, int[]> exportCases = new HashMap<>();
    /** Entry i's expected links are {@code linkCases[firstLink[i]] .. linkCases[firstLink[i + 1] - 1]}. */
    private int[] firstLink = new int[1_024];
    private int[] linkCases = new int[1_024];
    private int links;
    private long entries;
    /** Entries whose links cannot be worked out (no payload): their stored links are not judged. */
    private final BitSet unknown = new BitSet();

    /**
     * Works out the links of the next entry, in index order. {@code payload} is null when the entry has none to read
     * (erased, or damaged: reported elsewhere).
     */
    void expect(long index, String action, String subjectId, JsonNode payload) {
        if (index < entries) {
            throw new IllegalStateException("entries must be given in index order");
        }
        while (entries < index) {
            unknown.set(Math.toIntExact(entries)); // a missing entry: reported elsewhere
            endEntry();
        }
        if (payload == null) {
            unknown.set(Math.toIntExact(index));
        } else {
            try {
                for (int caseNumber : concerned(action, subjectId, payload)) {
                    addLink(caseNumber);
                }
            } catch (RuntimeException e) {
                // a payload that does not replay is reported by the replay; its links cannot be judged
                links = firstLink[Math.toIntExact(index)];
                unknown.set(Math.toIntExact(index));
            }
        }
        endEntry();
    }

    private void endEntry() {
        entries++;
        if (firstLink.length <= entries) {
            firstLink = Arrays.copyOf(firstLink, firstLink.length * 2);
        }
        firstLink[Math.toIntExact(entries)] = links;
    }

    private int[] concerned(String action, String subjectId, JsonNode payload) {
        if (action.startsWith("case.")) {
            return new int[] {number(subjectId)};
        }
        switch (action) {
            case "evidence.created" -> {
                JsonNode evidence = payload.get("evidence");
                int[] linked = numbers(evidence.get("caseIds"), node -> node);
                evidenceCases.put(evidence.get("id").asText(), linked);
                return linked;
            }
            case "evidence.updated", "evidence.custody_event_recorded" -> {
                return evidenceCases.getOrDefault(subjectId, new int[0]);
            }
            case "evidence.linked" -> {
                int added = number(payload.get("caseId").asText());
                int[] before = evidenceCases.getOrDefault(subjectId, new int[0]);
                int[] after = Arrays.copyOf(before, before.length + 1);
                after[before.length] = added;
                evidenceCases.put(subjectId, after);
                return new int[] {added};
            }
            case "evidence.unlinked" -> {
                int removed = number(payload.get("caseId").asText());
                evidenceCases.put(subjectId, Arrays.stream(evidenceCases.getOrDefault(subjectId, new int[0])).filter(c -> c != removed).toArray());
                return new int[] {removed};
            }
            case "evidence.viewed" -> {
                return numbers(payload.get("caseIds"), node -> node);
            }
            case "export.created" -> {
                JsonNode export = payload.get("export");
                int[] exported = numbers(export.get("cases"), node -> node.get("id"));
                exportCases.put(export.get("id").asText(), exported);
                return exported;
            }
            case "export.downloaded" -> {
                return exportCases.getOrDefault(subjectId, new int[0]);
            }
            default -> {
                return new int[0];
            }
        }
    }

    private int[] numbers(JsonNode array, UnaryOperator<JsonNode> id) {
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("the payload names no cases");
        }
        int[] numbers = new int[array.size()];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = number(id.apply(array.get(i)).asText());
        }
        return Arrays.stream(numbers).distinct().toArray();
    }

    private int number(String caseId) {
        return caseNumbers.number(UUID.fromString(caseId));
    }

    private void addLink(int caseNumber) {
        int first = firstLink[Math.toIntExact(entries)];
        for (int i = first; i < links; i++) {
            if (linkCases[i] == caseNumber) {
                return;
            }
        }
        if (links == linkCases.length) {
            linkCases = Arrays.copyOf(linkCases, links * 2);
        }
        linkCases[links++] = caseNumber;
    }

    /** Checks the stored links, given one at a time in any order; {@code problems} gets one line per link that differs. */
    Checker checker(Consumer<String> problems) {
        return new Checker(problems);
    }

    /** Matches stored links with the expected ones. */
    final class Checker {
        private final BitSet matched = new BitSet(links);
        private final Consumer<String> problems;

        private Checker(Consumer<String> problems) {
            this.problems = problems;
        }

        void stored(UUID caseId, long index) {
            if (index < 0 || index >= entries) {
                problems.accept("case link " + caseId + " → " + index + ": links a case to an entry the log does not have");
                return;
            }
            int entry = (int) index;
            if (unknown.get(entry)) {
                return;
            }
            int caseNumber = caseNumbers.find(caseId);
            for (int i = firstLink[entry]; caseNumber >= 0 && i < firstLink[entry + 1]; i++) {
                if (linkCases[i] == caseNumber && !matched.get(i)) {
                    matched.set(i);
                    return;
                }
            }
            problems.accept("index " + index + ": linked to case " + caseId + ", which the entry does not concern");
        }

        /** Reports each expected link that was not stored. */
        void finish() {
            int entry = 0;
            for (int i = matched.nextClearBit(0); i < links; i = matched.nextClearBit(i + 1)) {
                while (firstLink[entry + 1] <= i) {
                    entry++;
                }
                problems.accept("index " + entry + ": not linked to case " + caseNumbers.id(linkCases[i]) + ", which the entry concerns");
            }
        }

        int checked() {
            return links;
        }
    }
}
