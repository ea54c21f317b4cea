package org.jupyterhealth.exchange.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the audit trail costs, in the same run: fhir-service restarted on the bench stack with auditing off
 * ({@code JHE_AUDIT_ENABLED=false}, every other setting as before), the same load measured again, and restarted
 * with auditing on (the default) afterwards. The target: audit on within 10% of audit off, in throughput and p99.
 */
final class AuditSwitch {
    private AuditSwitch() {
    }

    /** Restarts fhir-service with auditing on or off; returns once it is ready. */
    static void fhirService(boolean audit) throws IOException, InterruptedException {
        jhe(Map.of(), "stop", "fhir-service");
        jhe(Map.of("JHE_AUDIT_ENABLED", Boolean.toString(audit)), "start", "fhir-service");
    }

    /** The two measurements side by side, and whether audit on stays within 10% of audit off. */
    static void compare(String what, LoadRunner.Result on, LoadRunner.Result off) {
        compare(what, List.of(on), off);
    }

    /**
     * Audit off beside audit on measured more than once (before and after it, say): the mean of the audit-on runs'
     * throughputs and of their p99s against audit off's, and whether it stays within 10%.
     */
    static void compare(String what, List<LoadRunner.Result> on, LoadRunner.Result off) {
        double onThroughput = on.stream().mapToDouble(LoadRunner.Result::throughput).average().orElseThrow();
        double onP99 = on.stream().mapToDouble(result -> result.percentileMillis(99)).average().orElseThrow();
        double throughput = 100 * onThroughput / off.throughput();
        double p99 = 100 * onP99 / off.percentileMillis(99);
        boolean answered = off.errors() == 0 && on.stream().allMatch(result -> result.errors() == 0);
        System.out.printf("%s, audit on%s vs off: %,.0f/s vs %,.0f/s (%.0f%%), p99 %.1f ms vs %.1f ms (%.0f%%); "
                + "target: throughput >= 90%%, p99 <= 110%% -> %s%n", what,
                on.size() > 1 ? " (mean of " + on.size() + " runs)" : "", onThroughput, off.throughput(),
                throughput, onP99, off.percentileMillis(99), p99,
                answered && throughput >= 90 && p99 <= 110 ? "met" : "NOT met");
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
