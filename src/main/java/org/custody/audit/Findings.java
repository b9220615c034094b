package org.custody.audit;

import java.util.ArrayList;
import java.util.List;

/** What a verification found: each check that passed and each problem, with where and what. */
public final class Findings {
    private static final int MAX_PROBLEMS = 1_000;

    private final List<String> passed = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private int suppressed;

    public void pass(String check) {
        passed.add(check);
    }

    /** Something the reader must know that is not a failure (what a check could not establish). */
    public void warn(String warning) {
        warnings.add(warning);
    }

    public void problem(String finding) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(finding);
        } else {
            suppressed++;
        }
    }

    /** Adds what another verification (of another part, at the same time) found, after what this one has. */
    public void addAll(Findings other) {
        passed.addAll(other.passed);
        warnings.addAll(other.warnings);
        other.problems.forEach(this::problem);
        suppressed += other.suppressed;
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    public List<String> passed() {
        return List.copyOf(passed);
    }

    /** One line per check and per problem, as the command prints them. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        passed.forEach(check -> lines.add("OK   " + check));
        warnings.forEach(warning -> lines.add("WARN " + warning));
        problems.forEach(problem -> lines.add("FAIL " + problem));
        if (suppressed > 0) {
            lines.add("FAIL … and " + suppressed + " more problems not listed");
        }
        return lines;
    }
}
