package org.custody.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's CPU use between two points (this JVM, the service's, PostgreSQL's processes and anything else),
 * from the first line of /proc/stat. Benchmarks that share two cores with a database report it, so that a phase
 * limited by the cores can be told from one limited by waiting. Steal, the time the host ran something else while
 * this virtual machine had work for a core, is counted as busy and also reported on its own: it is one way the
 * machine's speed drifts that its own counters can show.
 */
record MachineCpu(long totalTicks, long busyTicks, long stealTicks) {
    /** Now, or null where Linux does not say. */
    static MachineCpu now() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i <= 8 && i < fields.length; i++) { // user nice system idle iowait irq softirq steal (guest is in user)
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            long steal = fields.length > 8 ? Long.parseLong(fields[8]) : 0;
            return new MachineCpu(total, total - idle, steal);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The share of all cores busy from {@code earlier} to this point, in percent; negative when unknown. */
    private double busyPercentSince(MachineCpu earlier) {
        return earlier == null || totalTicks == earlier.totalTicks ? -1 : 100.0 * (busyTicks - earlier.busyTicks) / (totalTicks - earlier.totalTicks);
    }

    /** "93 % busy, the host's steal 2 %" (both shares of all cores' time) from {@code earlier} to this point; empty when unknown. */
    String describeSince(MachineCpu earlier) {
        double busy = busyPercentSince(earlier);
        if (busy < 0) {
            return "";
        }
        return String.format("%.0f %% busy, the host's steal %.0f %%", busy,
                100.0 * (stealTicks - earlier.stealTicks) / (totalTicks - earlier.totalTicks));
    }
}
