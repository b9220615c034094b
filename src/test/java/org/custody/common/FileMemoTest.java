package org.custody.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file's value is made again exactly when its bytes change, and a file gone is never answered from memory. */
class FileMemoTest {
    @Test
    void theSameBytesAreNotMadeAgainOtherBytesAreAndAMissingFileFails(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("key"), "first");
        List<String> made = new ArrayList<>();
        FileMemo<String> memo = new FileMemo<>();
        java.util.function.Function<byte[], String> make = content -> {
            String value = new String(content, StandardCharsets.US_ASCII);
            made.add(value);
            return value;
        };
        assertThat(memo.read(file, make)).isEqualTo("first");
        assertThat(memo.read(file, make)).isEqualTo("first");
        assertThat(made).containsExactly("first");

        Files.writeString(file, "other");
        assertThat(memo.read(file, make)).isEqualTo("other");
        Files.writeString(file, "first");
        assertThat(memo.read(file, make)).isEqualTo("first");
        assertThat(made).containsExactly("first", "other", "first");

        Files.delete(file);
        assertThatThrownBy(() -> memo.read(file, make)).isInstanceOf(NoSuchFileException.class);
        assertThat(memo.read(Files.writeString(directory.resolve("another"), "first"), make)).isEqualTo("first");
        assertThat(made).as("each file its own").hasSize(4);
    }
}
