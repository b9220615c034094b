package org.custody.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a bundle that anyone may have made: the ZIP itself is hostile input. */
class BundleContentsTest {
    @TempDir
    Path temp;

    @Test
    void aBundleThatUnpacksBeyondTheBoundIsRefusedWithAMessageNotAnOutOfMemoryError() throws Exception {
        // 3 MiB of zeros compress to a few kilobytes: a small bomb against a 1 MiB bound
        Path bomb = zip("bomb.zip", "cases.csv", new byte[3 << 20]);

        assertThatThrownBy(() -> BundleContents.read(bomb, 1 << 20)).isInstanceOf(BundleContents.BundleException.class)
                .hasMessage("the bundle unpacks to more than 1 MiB, more than this verifier reads with the memory it has "
                        + "(a larger -Xmx lets it read up to 4096 MiB)");
        assertThat(BundleContents.read(bomb, 4 << 20).bytes("cases.csv")).hasValueSatisfying(content -> assertThat(content).hasSize(3 << 20));
    }

    @Test
    void namesThatLeaveTheBundleAndNamesTwiceAreRefused() throws Exception {
        for (String name : new String[] {"../outside.txt", "/etc/passwd", "cases/..\\..\\outside.txt", "cases/../../outside.txt"}) {
            Path zip = zip("climbing.zip", name, "x".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> BundleContents.read(zip)).as(name).isInstanceOf(BundleContents.BundleException.class)
                    .hasMessage(name + ": a file name that leaves the bundle");
        }
        Path twice = temp.resolve("twice.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(twice))) {
            write(out, "cases/A.json", "{}");
            write(out, "cases/B.json", "{}");
        }
        // ZipOutputStream refuses a repeated name; a name of the same length swapped in afterwards keeps every offset
        String bytes = new String(Files.readAllBytes(twice), StandardCharsets.ISO_8859_1).replace("cases/B.json", "cases/A.json");
        Files.write(twice, bytes.getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> BundleContents.read(twice)).isInstanceOf(BundleContents.BundleException.class)
                .hasMessage("cases/A.json: the bundle holds two files of this name");
    }

    private Path zip(String fileName, String entryName, byte[] content) throws IOException {
        Path zip = temp.resolve(fileName);
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
            out.putNextEntry(new ZipEntry(entryName));
            out.write(content);
            out.closeEntry();
        }
        return zip;
    }

    private static void write(ZipOutputStream out, String name, String content) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(content.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }
}
