package org.custody.common;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one folding used for name search, so that stored search text and queries agree: compatibility
 * decomposition, combining marks removed, lower case. "Mélikyan", "MELIKYAN" and "melikyan" meet, and
 * Armenian or Cyrillic letters fold case the same way.
 */
public final class TextSearch {
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private TextSearch() {}

    public static String fold(String text) {
        if (isAscii(text)) {
            // ASCII is its own compatibility decomposition and holds no combining mark: the same result, several times faster
            return text.toLowerCase(Locale.ROOT);
        }
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
        return MARKS.matcher(decomposed).replaceAll("").toLowerCase(Locale.ROOT);
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** A LIKE pattern matching the folded term anywhere, with LIKE's wildcards escaped ({@code ESCAPE '\'}). */
    public static String containsPattern(String term) {
        String folded = fold(term).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + folded + "%";
    }
}
