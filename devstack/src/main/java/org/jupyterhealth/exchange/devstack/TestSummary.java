package org.jupyterhealth.exchange.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The counts of {@code ./jhe test}, per module and in total, from the Surefire and Failsafe reports the run left in
 * each module's {@code target/}.
 */
final class TestSummary {
    private static final Pattern SUITE = Pattern.compile("<testsuite\\s[^>]*>");

    private final Path root;

    TestSummary(Path root) {
        this.root = root;
    }

    /**
     * One module's counts.
     *
     * @param failures assertions that failed
     * @param errors   tests that threw
     */
    record Counts(String module, int tests, int failures, int errors, int skipped) {
    }

    /** The modules with reports, in the order of their folder names. */
    List<Counts> counts() {
        List<Counts> counts = new ArrayList<>();
        try (Stream<Path> folders = Files.list(root)) {
            for (Path module : folders.filter(f -> Files.isRegularFile(f.resolve("pom.xml"))).sorted().toList()) {
                List<Path> reports = new ArrayList<>();
                for (String kind : List.of("surefire-reports", "failsafe-reports")) {
                    Path dir = module.resolve("target").resolve(kind);
                    if (Files.isDirectory(dir)) {
                        try (Stream<Path> files = Files.list(dir)) {
                            files.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml")).forEach(reports::add);
                        }
                    }
                }
                if (!reports.isEmpty()) {
                    counts.add(count(module.getFileName().toString(), reports));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counts;
    }

    private static Counts count(String module, List<Path> reports) throws IOException {
        int[] sums = new int[4];
        for (Path report : reports) {
            Matcher suite = SUITE.matcher(new String(Files.readAllBytes(report), StandardCharsets.UTF_8));
            while (suite.find()) {
                String tag = suite.group();
                sums[0] += attribute(tag, "tests");
                sums[1] += attribute(tag, "failures");
                sums[2] += attribute(tag, "errors");
                sums[3] += attribute(tag, "skipped");
            }
        }
        return new Counts(module, sums[0], sums[1], sums[2], sums[3]);
    }

    private static int attribute(String tag, String name) {
        Matcher value = Pattern.compile("\\s" + name + "=\"(\\d+)\"").matcher(tag);
        return value.find() ? Integer.parseInt(value.group(1)) : 0;
    }

    void print(Console console) {
        StringBuilder text = new StringBuilder("\n").append(console.bold("Test summary")).append('\n');
        int total = 0;
        int bad = 0;
        for (Counts module : counts()) {
            text.append(String.format("  %-18s %4d tests  %3d failed  %3d errors  %3d skipped%n", module.module(),
                    module.tests(), module.failures(), module.errors(), module.skipped()));
            total += module.tests();
            bad += module.failures() + module.errors();
        }
        text.append(String.format("  %-18s %4d tests  %3d failed or in error%n", "TOTAL", total, bad));
        console.print(text.toString());
    }
}
