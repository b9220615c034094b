package org.custody.export;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.custody.common.Sha256Digest;

/**
 * A ZIP written as it streams, which remembers the SHA-256 of every file it holds so that the manifest can be written
 * last, in {@code sha256sum} format. Nothing is buffered beyond the ZIP's own deflater.
 */
final class ManifestZip {
    private final ZipOutputStream zip;
    private final long time;
    private final Map<String, String> hashes = new TreeMap<>();

    ManifestZip(OutputStream out, Instant time) {
        this.zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        this.time = time.toEpochMilli();
    }

    /** Starts a file; closing the returned stream ends it and records its hash. */
    OutputStream open(String name) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(time);
        zip.putNextEntry(entry);
        MessageDigest sha256 = Sha256Digest.newDigest();
        return new FilterOutputStream(zip) {
            @Override
            public void write(int b) throws IOException {
                sha256.update((byte) b);
                zip.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                sha256.update(bytes, offset, length);
                zip.write(bytes, offset, length);
            }

            @Override
            public void close() throws IOException {
                zip.closeEntry();
                hashes.put(name, HexFormat.of().formatHex(sha256.digest()));
            }
        };
    }

    void put(String name, byte[] content) throws IOException {
        try (OutputStream file = open(name)) {
            file.write(content);
        }
    }

    /** Every file written so far, as {@code sha256sum} prints it: hash, two spaces, path; sorted by path. */
    byte[] manifest() {
        StringBuilder manifest = new StringBuilder();
        hashes.forEach((name, hash) -> manifest.append(hash).append("  ").append(name).append('\n'));
        return manifest.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Writes files that the manifest does not cover (the manifest and its signature), then the ZIP's directory. */
    void finish(Map<String, byte[]> trailer) throws IOException {
        for (Map.Entry<String, byte[]> file : trailer.entrySet()) {
            ZipEntry entry = new ZipEntry(file.getKey());
            entry.setTime(time);
            zip.putNextEntry(entry);
            zip.write(file.getValue());
            zip.closeEntry();
        }
        zip.finish();
        zip.flush();
    }
}
