package org.jupyterhealth.exchange.devstack;

import java.util.Arrays;
import java.util.List;

/** The JVM options of the processes {@code ./jhe} starts. */
final class JvmOptions {
    /**
     * A service's: a fixed young generation of 320 MiB. A search under load allocates ~0.1-0.2 MB, and with the
     * default sizing fhir-service paused for a young collection every half second (with this, every few seconds,
     * each pause as short).
     */
    static final List<String> SERVICE = List.of("-Xms512m", "-Xmx768m", "-Xmn320m", "-XX:+UseParallelGC",
            "-XX:+ExitOnOutOfMemoryError");
    /**
     * A service's on the bench stack: it commits and touches its whole heap at start, so that a service's resident
     * memory in a soak grows only with what it really keeps (native memory, code), not as the heap is first written.
     */
    static final List<String> BENCH_SERVICE = List.of("-Xms768m", "-Xmx768m", "-Xmn320m", "-XX:+AlwaysPreTouch",
            "-XX:+UseParallelGC", "-XX:+ExitOnOutOfMemoryError");
    static final List<String> KAFKA = List.of("-Xms128m", "-Xmx512m");
    /** The embedded PostgreSQL's keeper and the database relay: a few threads and sockets. */
    static final List<String> SMALL_TOOL = List.of("-Xmx64m");
    static final List<String> BENCHMARK = List.of("-Xmx1g");

    private JvmOptions() {
    }

    /** A service's options on a stack, unless {@code JHE_JAVA_OPTS} ({@code override}, split on blanks) says. */
    static List<String> service(Stack stack, String override) {
        if (override != null && !override.isBlank()) {
            return Arrays.stream(override.trim().split("\\s+")).toList();
        }
        return "bench".equals(stack.name()) ? BENCH_SERVICE : SERVICE;
    }
}
