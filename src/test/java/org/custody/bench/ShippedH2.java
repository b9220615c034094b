package org.custody.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The embedded database as {@code config.yml} ships it, read from the file, so that benchmarks measure that and not a copy. */
final class ShippedH2 {
    private static final Pattern DEFAULT_URL = Pattern.compile("\\$\\{CUSTODY_DB_URL:-([^}]*)}");

    private ShippedH2() {}

    /** config.yml's default database URL. */
    static String url() {
        try {
            Matcher url = DEFAULT_URL.matcher(Files.readString(Path.of("config.yml")));
            if (!url.find()) {
                throw new IllegalStateException("config.yml names no default database URL");
            }
            return url.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** That URL's settings, from its first ';': what a benchmark keeps when it puts the database file elsewhere. */
    static String settings() {
        String url = url();
        return url.substring(url.indexOf(';'));
    }
}
