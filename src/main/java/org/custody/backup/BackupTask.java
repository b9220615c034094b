package org.custody.backup;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code POST /tasks/backup} on the admin port (bound to 127.0.0.1): an online backup of the embedded database into
 * {@code <dataDirectory>/backups/} under a new name. It takes no path, so the admin port cannot be made to write anywhere else.
 */
public final class BackupTask extends io.dropwizard.servlets.tasks.Task {
    private final Jdbi jdbi;
    private final Path directory;
    private final Clock clock;

    public BackupTask(Jdbi jdbi, Path directory, Clock clock) {
        super("backup");
        this.jdbi = jdbi;
        this.directory = directory;
        this.clock = clock;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) {
        Path written = H2Backups.backup(jdbi, H2Backups.nextBackupFile(directory, clock));
        output.println("Backed up the database to " + written.toAbsolutePath());
        output.println("The keys (the log's signing keys, the second-factor key) are not in it: back up the key directory apart.");
    }
}
