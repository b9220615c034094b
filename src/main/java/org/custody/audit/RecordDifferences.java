package org.custody.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.custody.log.Jcs;

/** Where a record differs from the one the log holds: the paths of the fields, never their values (they can be personal data). */
public final class RecordDifferences {
    private RecordDifferences() {
    }

    /** The paths below {@code path} at which {@code found} differs from {@code expected}; "record" when they differ as a whole. */
    public static List<String> paths(String path, JsonNode expected, JsonNode found) {
        List<String> paths = new ArrayList<>();
        if (expected != null && found != null && expected.isObject() && found.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            expected.fieldNames().forEachRemaining(names::add);
            found.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                paths.addAll(paths(path.isEmpty() ? name : path + "." + name, expected.get(name), found.get(name)));
            }
        } else if (expected == null || found == null || !sameCanonicalForm(expected, found)) {
            paths.add(path.isEmpty() ? "record" : path);
        }
        return paths;
    }

    /** The log holds only canonical records, so JSON without a canonical form differs from any of them. */
    private static boolean sameCanonicalForm(JsonNode expected, JsonNode found) {
        byte[] canonical = Jcs.canonicalOrNull(expected);
        return canonical != null && Arrays.equals(canonical, Jcs.canonicalOrNull(found));
    }
}
