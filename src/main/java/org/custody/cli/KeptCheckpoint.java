package org.custody.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * A signed checkpoint someone kept, as a file: the {@code --checkpoint FILE} of verify-log and restore, the {@code KEPT}
 * of check-checkpoint; read before anything else is done.
 */
final class KeptCheckpoint {
    /** A checkpoint is a few hundred bytes; a note with many cosignatures still far under this. */
    static final int MAX_BYTES = 64 * 1024;

    private KeptCheckpoint() {}

    static Optional<String> read(Namespace namespace) {
        String name = namespace.getString("checkpoint");
        return name == null ? Optional.empty() : Optional.of(read("--checkpoint " + name, Path.of(name)));
    }

    /** @param label how the command's user named the file, for the messages */
    static String read(String label, Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new CommandFailedException(label + ": no such file");
        } catch (IOException e) {
            throw new CommandFailedException(label + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (bytes.length > MAX_BYTES) {
            throw new CommandFailedException(label + ": larger than " + MAX_BYTES / 1024 + " KiB, so not a checkpoint");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CommandFailedException(label + ": not UTF-8 text, so not a checkpoint");
        }
    }
}
