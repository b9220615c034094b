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

    /** User and system CPU time, in nanoseconds. */
    public record Times(long userNanos, long systemNanos) {
        public Times since(Times earlier) {
            return new Times(userNanos - earlier.userNanos, systemNanos - earlier.systemNanos);
        }

        public long nanos() {
            return userNanos + systemNanos;
        }
    }

    /**
     * The CPU time of this JVM's children that have ended and been waited for (its own cutime and cstime): across a
     * command run to completion, with no other child ending meanwhile, the difference is that command's CPU time.
     */
    public static Times endedChildren() {
        return endedChildrenOf(ProcessHandle.current().pid());
    }

    /** The CPU time of process {@code pid}'s children that have ended and been waited for; zero once it is gone. */
    public static Times endedChildrenOf(long pid) {
        long[] times = times(pid);
        return new Times(times[2] * NANOS_PER_TICK, times[3] * NANOS_PER_TICK);
    }

    /** The CPU time of process {@code pid} itself, without its children; zero once it is gone. */
    public static Times of(long pid) {
        long[] times = times(pid);
        return new Times(times[0] * NANOS_PER_TICK, times[1] * NANOS_PER_TICK);
    }

    /** utime + stime, and with {@code withChildren} cutime + cstime; 0 once gone. */
    private static long ticks(long pid, boolean withChildren) {
        long[] times = times(pid);
        return withChildren ? times[0] + times[1] + times[2] + times[3] : times[0] + times[1];
    }

    /** utime, stime, cutime and cstime in ticks (fields 14 to 17 of /proc/PID/stat); zeros once the process is gone. */
    private static long[] times(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (java.nio.file.NoSuchFileException e) {
            return new long[4];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[13]), Long.parseLong(fields[14])};
    }
}
