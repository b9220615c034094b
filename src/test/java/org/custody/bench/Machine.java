package org.custody.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * What a benchmark ran on, for the first line of its report: the cores, the processor as the virtual machine presents
 * it, the kernel, whether the machine hands freed memory back to its host, when it started and the Java version. The
 * build machine is a virtual machine started afresh now and then, and its speed differs from one start to the next; a
 * report that names the processor and the start lets two runs be told apart by more than their figures.
 */
final class Machine {
    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private Machine() {
    }

    /**
     * "2 cores (AMD EPYC, family 26 model 2), Linux 6.18.44, freed memory reported to the host, started 2026-12-06 21:39
     * UTC, Java 17.0.15".
     */
    static String describe() {
        StringBuilder text = new StringBuilder().append(Runtime.getRuntime().availableProcessors()).append(" cores");
        processor().ifPresent(processor -> text.append(" (").append(processor).append(')'));
        text.append(", ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"));
        if (reportsFreedMemory()) {
            text.append(", freed memory reported to the host");
        }
        started().ifPresent(started -> text.append(", started ").append(STARTED.format(started)));
        return text.append(", Java ").append(System.getProperty("java.version")).toString();
    }

    /** The first processor's model name, family and model from /proc/cpuinfo. */
    private static Optional<String> processor() {
        List<String> lines = readLines(Path.of("/proc/cpuinfo"));
        Optional<String> name = field(lines, "model name");
        return name.map(model -> model + field(lines, "cpu family").map(family -> ", family " + family).orElse("")
                + field(lines, "model").map(number -> " model " + number).orElse(""));
    }

    /**
     * Whether a virtio balloon (device 5) has negotiated free page reporting (feature bit 5, VIRTIO_BALLOON_F_REPORTING):
     * the kernel then hands memory it frees back to the host, so every page touched again later is a fault on both
     * sides. On the machine of 2026-12-07 that made memory touched for the first time cost about 4.6 CPU-seconds a GiB,
     * a few seconds of each `verify-log` (the journal, "Fresh memory on this machine").
     */
    private static boolean reportsFreedMemory() {
        try (var devices = Files.list(Path.of("/sys/bus/virtio/devices"))) {
            return devices.anyMatch(device -> readLines(device.resolve("device")).equals(List.of("0x0005"))
                    && readLines(device.resolve("features")).stream().anyMatch(bits -> bits.length() > 5 && bits.charAt(5) == '1'));
        } catch (IOException e) {
            return false; // no virtio devices: not a virtual machine of this kind
        }
    }

    /** When the kernel started, from the {@code btime} line of /proc/stat. */
    private static Optional<Instant> started() {
        return field(readLines(Path.of("/proc/stat")), "btime").map(seconds -> Instant.ofEpochSecond(Long.parseLong(seconds)));
    }

    /** The value of the first line whose name is {@code key}: "model name\t: X" in /proc/cpuinfo, "btime N" in /proc/stat. */
    private static Optional<String> field(List<String> lines, String key) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            String[] parts = colon >= 0
                    ? new String[] {line.substring(0, colon), line.substring(colon + 1)}
                    : line.split("\\s+", 2);
            if (parts.length == 2 && parts[0].strip().equals(key) && !parts[1].isBlank()) {
                return Optional.of(parts[1].strip());
            }
        }
        return Optional.empty();
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of(); // not Linux: the report names what Java knows
        }
    }
}
