package org.custody.export;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A bundle's files, read from its ZIP with the care due to a file from anyone: no duplicate names, no paths that climb
 * out of the bundle, and a bound on the total size so that a ZIP bomb stops the reading, not the machine.
 */
final class BundleContents {
    /** Far above any export (5,000 cases of long histories come to some hundreds of megabytes). */
    static final long MAX_TOTAL_BYTES = 4L * 1024 * 1024 * 1024;
    /** The most one file can hold in memory: a Java array. */
    static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 16;

    private final Map<String, byte[]> files;

    private BundleContents(Map<String, byte[]> files) {
        this.files = files;
    }

    static BundleContents read(Path zip) throws BundleException {
        return read(zip, Math.min(MAX_TOTAL_BYTES, Runtime.getRuntime().maxMemory() / 4));
    }

    /**
     * Reads at most {@code limit} unpacked bytes. The verifier holds the files in memory, so the bound is also a
     * quarter of what this JVM may use (a laptop's default is a quarter of its memory): a file is read in pieces and put
     * together once, at its exact size, so reading takes at most twice the bound, and with {@code --previous} the bundle
     * already read is held beside it, three quarters in all. A bomb is refused with a message rather than by an
     * OutOfMemoryError. (Half the memory with a growing buffer was not enough: a buffer that doubles needs three times
     * its content while it copies, and with -Xmx1g a 3 GB bomb ended in an OutOfMemoryError.)
     */
    static BundleContents read(Path zip, long limit) throws BundleException {
        Map<String, byte[]> files = new TreeMap<>();
        long total = 0;
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in, StandardCharsets.UTF_8)) {
            ZipEntry entry;
            byte[] buffer = new byte[64 * 1024];
            while ((entry = entries.getNextEntry()) != null) {
                String name = entry.getName();
                if (entry.isDirectory()) {
                    continue;
                }
                if (name.startsWith("/") || name.contains("\\") || List.of(name.split("/")).contains("..")) {
                    throw new BundleException(name + ": a file name that leaves the bundle");
                }
                List<byte[]> pieces = new ArrayList<>();
                long size = 0;
                int read;
                while ((read = entries.read(buffer)) > 0) {
                    total += read;
                    if (total > limit) {
                        throw new BundleException("the bundle unpacks to more than " + mebibytes(limit) + " MiB, more than this verifier "
                                + "reads" + (limit < MAX_TOTAL_BYTES ? " with the memory it has (a larger -Xmx lets it read up to "
                                + mebibytes(MAX_TOTAL_BYTES) + " MiB)" : ""));
                    }
                    if (size + read > MAX_FILE_BYTES) {
                        throw new BundleException(name + ": larger than one file of a bundle can be (" + mebibytes(MAX_FILE_BYTES) + " MiB)");
                    }
                    pieces.add(Arrays.copyOf(buffer, read));
                    size += read;
                }
                if (files.put(name, joined(pieces, (int) size)) != null) {
                    throw new BundleException(name + ": the bundle holds two files of this name");
                }
            }
        } catch (IOException e) {
            throw new BundleException(zip.getFileName() + " cannot be read as a ZIP file (" + e.getMessage() + ")");
        }
        if (files.isEmpty()) {
            throw new BundleException(zip.getFileName() + " is not a ZIP file or holds no files");
        }
        return new BundleContents(files);
    }

    private static byte[] joined(List<byte[]> pieces, int size) {
        byte[] content = new byte[size];
        int at = 0;
        for (byte[] piece : pieces) {
            System.arraycopy(piece, 0, content, at, piece.length);
            at += piece.length;
        }
        return content;
    }

    private static long mebibytes(long bytes) {
        return bytes >> 20;
    }

    Optional<byte[]> bytes(String name) {
        return Optional.ofNullable(files.get(name));
    }

    Optional<String> text(String name) {
        return bytes(name).map(content -> new String(content, StandardCharsets.UTF_8));
    }

    /** The lines of a text file, without their line ends; a missing file has none. */
    List<String> lines(String name) {
        List<String> lines = new ArrayList<>();
        text(name).ifPresent(text -> text.lines().forEach(lines::add));
        return lines;
    }

    Iterable<String> names() {
        return files.keySet();
    }

    /** The bundle cannot be read at all. */
    static final class BundleException extends Exception {
        BundleException(String message) {
            super(message);
        }
    }
}
