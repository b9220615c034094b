package org.custody.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's CPU use between two points (this JVM, the service's, PostgreSQL's processes and anything else),
 * from the first line of /proc/stat. Benchmarks that share two cores with a database report it, so that a phase
 * limited by the cores can be told from one limited by waiting.
 */
record MachineCpu(long totalTicks, long busyTicks) {
    /** Now, or null where Linux does not say. */
    static MachineCpu now() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i <= 8 && i < fields.length; i++) { // user nice system idle iowait irq softirq steal (guest is in user)
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            return new MachineCpu(total, total - idle);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The share of all cores busy from {@code earlier} to this point, in percent; negative when unknown. */
    double busyPercentSince(MachineCpu earlier) {
        return earlier == null || totalTicks == earlier.totalTicks ? -1 : 100.0 * (busyTicks - earlier.busyTicks) / (totalTicks - earlier.totalTicks);
    }
}
