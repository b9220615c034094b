package org.custody.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time of a process and everything it started, from /proc: for PostgreSQL, the postmaster with its backends,
 * WAL writer, checkpointer and other workers. Children that have ended count through their parent's cutime and cstime.
 * The load benchmark reports both per request, the service's and PostgreSQL's, to tell which side of the connection
 * the two cores go to.
 */
public record ProcessTreeCpu(long rootPid) {
    private static final long NANOS_PER_TICK = 10_000_000L; // Linux's USER_HZ, 100 on every platform it runs on here

    public long nanos() {
        long ticks = ticks(rootPid, true);
        for (ProcessHandle child : ProcessHandle.of(rootPid).orElseThrow().descendants().toList()) {
            ticks += ticks(child.pid(), false);
        }
        return ticks * NANOS_PER_TICK;
    }

    /** utime + stime (fields 14 and 15 of /proc/PID/stat), and with {@code withChildren} cutime + cstime; 0 once gone. */
    private static long ticks(long pid, boolean withChildren) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (java.nio.file.NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return withChildren ? ticks + Long.parseLong(fields[13]) + Long.parseLong(fields[14]) : ticks;
    }
}
