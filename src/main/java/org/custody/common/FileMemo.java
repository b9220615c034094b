package org.custody.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What was last made of each file's bytes, made again only when they change. The health checks read the key files on
 * every poll, so as to notice one that went missing or was replaced; a key file under a passphrase costs a key
 * derivation (about a quarter of a second of a core) to open, which a monitor polling every few seconds would pay over
 * and over for the same bytes.
 */
public final class FileMemo<T> {
    private record Made<T>(byte[] content, T value) {}

    private final Map<Path, Made<T>> made = new ConcurrentHashMap<>();

    /** The file's bytes, read now, made into a value by {@code make} unless they are the bytes it last made one of. */
    public T read(Path file, Function<byte[], T> make) throws IOException {
        byte[] content = Files.readAllBytes(file);
        Made<T> last = made.get(file);
        if (last != null && MessageDigest.isEqual(last.content(), content)) {
            return last.value();
        }
        T value = make.apply(content);
        made.put(file, new Made<>(content, value));
        return value;
    }
}
