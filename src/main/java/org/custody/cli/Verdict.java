package org.custody.cli;

import org.custody.audit.Findings;

/** How the verifying commands end: every finding on a line of its own, then the verdict and the time it took. */
final class Verdict {
    private Verdict() {}

    /**
     * Prints {@code findings} and the verdict line ({@code VERIFIED in 1.2 s} or {@code FAILED: 3 problem(s) in 1.2 s}).
     *
     * @throws CommandFailedException when there are problems, so that the command exits with status 1
     */
    static void print(Findings findings, long startedNanos) {
        findings.lines().forEach(System.out::println);
        System.out.printf("%s in %.1f s%n", findings.ok() ? "VERIFIED" : "FAILED: " + findings.problems().size() + " problem(s)",
                (System.nanoTime() - startedNanos) / 1e9);
        if (!findings.ok()) {
            throw CommandFailedException.problems(findings.problems().size());
        }
    }
}
