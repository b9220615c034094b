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

    /**
     * With the bound the verifier sets itself (a quarter of its JVM's memory), a bomb is a message, not an
     * OutOfMemoryError, even in a small JVM: here one of 64 MiB reads 200 MiB of zeros. A doubling buffer under half
     * the memory ran out of memory first.
     */
    @Test
    void aBombIsRefusedWithinTheMemoryOfTheVerifiersOwnJvm() throws Exception {
        Path bomb = zip("large-bomb.zip", "log/entries.jsonl", new byte[200 << 20]);
        Process probe = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), Probe.class.getName(), bomb.toString())
                .redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(probe.waitFor()).as(output).isZero();
        assertThat(output).startsWith("refused: the bundle unpacks to more than ").doesNotContain("OutOfMemoryError");
    }

    /** Reads a bundle as the verifier does and says how it ended. */
    static final class Probe {
        public static void main(String[] arguments) {
            try {
                BundleContents.read(Path.of(arguments[0]));
                System.out.println("read");
            } catch (BundleContents.BundleException refused) {
                System.out.println("refused: " + refused.getMessage());
            }
        }
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
