package org.custody.common;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Files and directories that only their owner may use: the data directory (the H2 database, backups), key files, the
 * initial administrator's password. Created so from the start, not restricted afterwards, so no other local user can
 * open one in between. Where the file system has no POSIX permissions, they are created plainly.
 */
public final class OwnerOnly {
    private static final Set<PosixFilePermission> OWNER =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private OwnerOnly() {}

    /** Creates a new file readable and writable by its owner alone; fails if it exists. */
    public static void createFile(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
    }

    /**
     * Writes a new file readable by its owner alone, whole or not at all, and on disk (with its directory entry) before
     * this returns: key files, which records in the database depend on, must outlive a power cut as those records do.
     * Never replaces a file: {@link java.nio.file.FileAlreadyExistsException} if one is there, even if another process
     * put it there a moment ago (the text is written under a name of its own, then linked to the file's name).
     */
    public static void writeNew(Path file, String text) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path directory = absolute.getParent();
        createDirectory(directory);
        Path written = directory.resolve("." + absolute.getFileName() + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".new");
        createFile(written);
        try {
            try (FileChannel channel = FileChannel.open(written, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try {
                Files.createLink(absolute, written);
            } catch (UnsupportedOperationException noHardLinks) {
                Files.move(written, absolute);
            }
            try (FileChannel entries = FileChannel.open(directory, StandardOpenOption.READ)) {
                entries.force(true);
            } catch (IOException directoriesCannotBeSynced) {
                // some file systems refuse to open a directory for this; the file itself is on disk
            }
        } finally {
            Files.deleteIfExists(written);
        }
    }

    /** Creates the directory, if missing, usable by its owner alone; missing parents are created as the umask says. */
    public static void createDirectory(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return;
        }
        Files.createDirectories(absolute.getParent());
        try {
            Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectory(absolute);
        }
    }

    /**
     * The path's permissions, as {@code ls} shows them, when its group or others may do anything with it (a copy made
     * with the default umask, say); empty when only its owner may, or where the file system has no POSIX permissions.
     */
    public static Optional<String> looseAccess(Path path) throws IOException {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(path);
        } catch (UnsupportedOperationException notPosix) {
            return Optional.empty();
        }
        return OWNER.containsAll(permissions) ? Optional.empty() : Optional.of(PosixFilePermissions.toString(permissions));
    }
}
