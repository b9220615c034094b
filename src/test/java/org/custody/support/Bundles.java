package org.custody.support;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.custody.common.Sha256Digest;
import org.custody.log.signing.LogSigner;

/** Opens, alters and re-packs export bundles, as someone tampering with one would. */
public final class Bundles {
    private Bundles() {}

    public static Map<String, byte[]> unzip(byte[] zip) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                files.put(entry.getName(), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    public static Path zip(Map<String, byte[]> files, Path target) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                out.putNextEntry(new ZipEntry(file.getKey()));
                out.write(file.getValue());
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return Files.write(target, bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the manifest anew over the altered files and signs it: what an insider holding a key would do. */
    public static Map<String, byte[]> remanifest(Map<String, byte[]> files, LogSigner signer) {
        Map<String, byte[]> resigned = new LinkedHashMap<>(files);
        resigned.remove("MANIFEST.sha256");
        resigned.remove("MANIFEST.sha256.sig");
        StringBuilder manifest = new StringBuilder();
        new java.util.TreeMap<>(resigned).forEach((name, content) ->
                manifest.append(HexFormat.of().formatHex(Sha256Digest.newDigest().digest(content))).append("  ").append(name).append('\n'));
        byte[] manifestBytes = manifest.toString().getBytes(StandardCharsets.UTF_8);
        resigned.put("MANIFEST.sha256", manifestBytes);
        resigned.put("MANIFEST.sha256.sig", signer.sign(manifestBytes));
        return resigned;
    }

    /** Unpacks into a directory, as a lawyer's expert would before running sha256sum and openssl. */
    public static void extract(Map<String, byte[]> files, Path directory) {
        try {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Path target = directory.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.write(target, file.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(Map<String, byte[]> files, String name) {
        return new String(files.get(name), StandardCharsets.UTF_8);
    }
}
