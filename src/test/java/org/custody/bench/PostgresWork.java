package org.custody.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.custody.support.ProcessTreeCpu;

/**
 * What PostgreSQL's processes did between two points, by the role each names in its process title ("checkpointer",
 * "autovacuum worker", "walwriter", a backend serving a connection…), read from /proc. A proof pass on PostgreSQL is
 * one connection's round trips; this says whether the server's own work (a checkpoint's writes, autovacuum) ran
 * beside it. Processes that ended in between count as "ended" (the postmaster's cutime and cstime).
 */
record PostgresWork(Map<String, Long> nanosByRole) {
    /** The server's main process (the postmaster), the parent of the backend serving {@code connection}. */
    static long postmasterOf(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet backend = statement.executeQuery("SELECT pg_backend_pid()")) {
            backend.next();
            return ProcessHandle.of(backend.getLong(1)).flatMap(ProcessHandle::parent).orElseThrow().pid();
        }
    }

    /** The CPU time of the postmaster {@code postmasterPid} and its children so far, by role. */
    static PostgresWork now(long postmasterPid) {
        Map<String, Long> nanos = new TreeMap<>();
        nanos.put("postmaster", ProcessTreeCpu.of(postmasterPid).nanos());
        nanos.put("ended", ProcessTreeCpu.endedChildrenOf(postmasterPid).nanos());
        for (ProcessHandle child : ProcessHandle.of(postmasterPid).orElseThrow().children().toList()) {
            role(child.pid()).ifPresent(role -> nanos.merge(role, ProcessTreeCpu.of(child.pid()).nanos(), Long::sum));
        }
        return new PostgresWork(nanos);
    }

    /** "backend 0.61 s, checkpointer 0.12 s": the roles that used CPU since {@code earlier}. */
    String describeSince(PostgresWork earlier) {
        return nanosByRole.entrySet().stream()
                .filter(role -> role.getValue() > earlier.nanosByRole.getOrDefault(role.getKey(), 0L))
                .map(role -> String.format("%s %.2f s", role.getKey(), (role.getValue() - earlier.nanosByRole.getOrDefault(role.getKey(), 0L)) / 1e9))
                .collect(Collectors.joining(", "));
    }

    /** "checkpointer", "autovacuum worker …", or "backend" for a process serving a connection; empty once it is gone. */
    private static Optional<String> role(long pid) {
        String title;
        try {
            title = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String role = title.startsWith("postgres: ") ? title.substring("postgres: ".length()) : title;
        // a backend's title is "user database host(port) state"; the server's own processes name their role
        return Optional.of(role.contains("(") || role.contains("[local]") ? "backend" : role);
    }
}
