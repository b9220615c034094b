package org.custody.support;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How long one named thread of a process has run on a core and how long it has waited, ready to run, for one
 * (Linux: the first two fields of /proc/PID/task/TID/schedstat, in nanoseconds). The load benchmark reads it for the
 * ledger's writer: a writer busy through most of a phase bounds the rate, and its waits for a core say whether more
 * cores or less work elsewhere would have freed it.
 */
public record ThreadSchedule(long runNanos, long waitNanos) {
    /** The thread of {@code pid} named {@code name}, or null where Linux does not say or no thread has that name. */
    public static ThreadSchedule of(long pid, String name) {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                if (Files.readString(task.resolve("comm")).strip().equals(name)) {
                    String[] fields = Files.readString(task.resolve("schedstat")).strip().split(" ");
                    return new ThreadSchedule(Long.parseLong(fields[0]), Long.parseLong(fields[1]));
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Running and waiting for a core as shares of {@code elapsedNanos} since {@code earlier}, and the time on a core
     * per unit of its work ({@code units} of them, named {@code unit}); "" when unknown.
     */
    public String describeSince(ThreadSchedule earlier, long elapsedNanos, String thread, long units, String unit) {
        if (earlier == null) {
            return "";
        }
        long run = runNanos - earlier.runNanos;
        String perUnit = units == 0 ? "" : String.format(" (%.3f ms a %s)", run / 1e6 / units, unit);
        return String.format("; %s on a core %.0f %% of the phase%s, ready but waiting for one %.0f %%", thread,
                100.0 * run / elapsedNanos, perUnit, 100.0 * (waitNanos - earlier.waitNanos) / elapsedNanos);
    }
}
