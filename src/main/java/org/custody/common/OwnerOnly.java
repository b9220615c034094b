package org.custody.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

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
