package org.jupyterhealth.exchange.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What the audit trail costs, in the same run: the same load measured on fhir-service with auditing on (the
 * default) and off ({@code JHE_AUDIT_ENABLED=false}, every other setting as before), alternately, each run on a
 * freshly restarted fhir-service warmed up the same way, ending with auditing on. The target: audit on within 10% of
 * audit off, in throughput and p99.
 *
 * <p>This machine's speed drifts by a third within an hour and has slow minutes: one audit-off run beside one or two
 * audit-on runs swung the comparison from 73% to 110% between runs of the same build. So each audit-off run is
 * compared with the audit-on runs just before and after it (a drift over those minutes moves both sides of a pair
 * alike), and the figure is the median of those pairs' ratios (a slow minute moves one or two pairs, not the median).
 */
final class AuditSwitch {
    private AuditSwitch() {
    }

    /** One measurement of the load on a freshly started fhir-service, its warm-up included. */
    @FunctionalInterface
    interface Measurement {
        LoadRunner.Result measure(boolean audit) throws IOException, InterruptedException;
    }

    /** Restarts fhir-service with auditing on or off; returns once it is ready. */
    private static void fhirService(boolean audit) throws IOException, InterruptedException {
        jhe(Map.of(), "stop", "fhir-service");
        jhe(Map.of("JHE_AUDIT_ENABLED", Boolean.toString(audit)), "start", "fhir-service");
    }

    /**
     * Audit on, then {@code offRuns} times audit off and on again, each run on fhir-service restarted as it says;
     * {@code firstOn}, when not null, is the first audit-on run, measured already on the running fhir-service. Prints
     * each run and the comparison; fhir-service is left running with auditing on.
     */
    static void alternate(String what, int offRuns, LoadRunner.Result firstOn, Measurement measurement)
            throws IOException, InterruptedException {
        List<LoadRunner.Result> on = new ArrayList<>();
        List<LoadRunner.Result> off = new ArrayList<>();
        if (firstOn != null) {
            on.add(firstOn);
        } else {
            fhirService(true);
            on.add(print(measurement.measure(true)));
        }
        boolean auditing = true;
        try {
            for (int run = 0; run < offRuns; run++) {
                auditing = false;
                fhirService(false);
                off.add(print(measurement.measure(false)));
                fhirService(true);
                auditing = true;
                on.add(print(measurement.measure(true)));
            }
        } finally {
            // a run that failed with auditing off (or in the restart) leaves the stack as it was found
            if (!auditing) {
                fhirService(true);
            }
        }
        compare(what, on, off);
    }

    private static LoadRunner.Result print(LoadRunner.Result result) {
        System.out.println(result.summary());
        return result;
    }

    /**
     * The comparison: the median of the pairs' ratios of audit on to audit off (in percent), and whether audit on
     * stays within 10% in both with every request answered.
     */
    record Verdict(double throughputPercent, double p99Percent, boolean met) {
    }

    /**
     * Each audit-off run against the audit-on runs before and after it ({@code on} has one run more than {@code
     * off}, alternating from the first audit-on run): the median of those ratios, in throughput and in p99.
     */
    static Verdict compare(String what, List<LoadRunner.Result> on, List<LoadRunner.Result> off) {
        if (on.size() != off.size() + 1) {
            throw new IllegalArgumentException("audit on must be measured once more than audit off, around each");
        }
        double[] throughputs = new double[2 * off.size()];
        double[] p99s = new double[2 * off.size()];
        for (int i = 0; i < off.size(); i++) {
            for (int side = 0; side < 2; side++) {
                LoadRunner.Result audited = on.get(i + side);
                throughputs[2 * i + side] = 100 * audited.throughput() / off.get(i).throughput();
                p99s[2 * i + side] = 100 * audited.percentileMillis(99) / off.get(i).percentileMillis(99);
            }
        }
        double throughput = LoadRunner.median(throughputs);
        double p99 = LoadRunner.median(p99s);
        boolean answered = off.stream().allMatch(result -> result.errors() == 0)
                && on.stream().allMatch(result -> result.errors() == 0);
        Verdict verdict = new Verdict(throughput, p99, answered && throughput >= 90 && p99 <= 110);
        System.out.printf("%s, audit on vs off, each off run against the on runs beside it: throughput %s%%, p99 %s%%"
                + "%n  median: throughput %.0f%%, p99 %.0f%%; target: throughput >= 90%%, p99 <= 110%% -> %s%n", what,
                percents(throughputs), percents(p99s), throughput, p99, verdict.met() ? "met" : "NOT met");
        return verdict;
    }

    private static String percents(double[] values) {
        return String.join(" / ", Arrays.stream(values).mapToObj(value -> String.format("%.0f", value)).toList());
    }

    private static void jhe(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("./jhe"));
        command.addAll(List.of(args));
        command.addAll(List.of("--stack", "bench"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("./jhe " + String.join(" ", args) + " failed: " + output);
        }
    }
}
