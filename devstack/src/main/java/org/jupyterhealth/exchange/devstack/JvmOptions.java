package org.jupyterhealth.exchange.devstack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The JVM options of the processes {@code ./jhe} starts. */
final class JvmOptions {
    /** The value of {@code JHE_JAVA_OPTS} that gives every service {@link #up(Service)}'s options on any stack. */
    static final String UP = "up";
    /**
     * A service's on the dev and systest stacks: small when idle, with room under load. The serial collector, which
     * the JVM picks itself in a container of less than 2 CPUs or 1.8 GB (the Deployments' limits), has the least
     * memory of its own and keeps the young generation as small as the load lets it; a heap that starts at 16 MiB
     * and grows with the load, up to what the bench stack gives for good, with a young generation of up to 320 MiB
     * (a search under load allocates ~0.1-0.2 MB); and the C library's freed memory given back to the system every
     * 5 s. On a loaded 2-core machine identity-service idled at 166 MiB with these against 214 MiB with the parallel
     * collector and a heap from 64 MiB. Explicit sizes, not a share of the memory: a machine with 24 GB would give
     * each of the five services 6 GB (a quarter, the JVM's default).
     */
    static final List<String> SERVICE = List.of("-Xms16m", "-Xmx768m", "-XX:MaxNewSize=320m", "-XX:+UseSerialGC",
            "-XX:TrimNativeHeapInterval=5000", "-XX:+ExitOnOutOfMemoryError");
    /**
     * identity-service's on the dev and systest stacks: G1 instead of the serial collector. Each password hash fills
     * 19 MiB with blocks that live until it ends; the serial collector promotes those of the hash under way at each
     * young collection and grows the old generation to hold them, up to the largest heap, and keeps it. G1 sizes
     * its generations by the time it spends collecting, and a collection every 5 s while the service is idle
     * (G1PeriodicGCInterval) gives back what the load left.
     */
    static final List<String> IDENTITY_SERVICE = List.of("-Xms16m", "-Xmx768m", "-XX:+UseG1GC",
            "-XX:G1PeriodicGCInterval=5000", "-XX:TrimNativeHeapInterval=5000", "-XX:+ExitOnOutOfMemoryError");
    /**
     * A service's on the bench stack: it commits and touches its whole heap at start, so that a service's resident
     * memory in a soak grows only with what it really keeps (native memory, code), not as the heap is first written;
     * and a fixed young generation of 320 MiB from the first request, collected by the parallel collector (the
     * throughput benchmarks' settings).
     */
    static final List<String> BENCH_SERVICE = List.of("-Xms768m", "-Xmx768m", "-Xmn320m", "-XX:+AlwaysPreTouch",
            "-XX:+UseParallelGC", "-XX:+ExitOnOutOfMemoryError");
    /**
     * On JDK 25 (JEP 519): object headers of 8 bytes instead of 12, a tenth or so less heap for the same objects.
     * The AOT cache is made and used with it, so the option is the same on every start.
     */
    static final String COMPACT_OBJECT_HEADERS = "-XX:+UseCompactObjectHeaders";
    static final List<String> KAFKA = List.of("-Xms128m", "-Xmx512m");
    /** The embedded PostgreSQL's keeper and the database relay: a few threads and sockets. */
    static final List<String> SMALL_TOOL = List.of("-Xmx64m");
    static final List<String> BENCHMARK = List.of("-Xmx1g");

    private JvmOptions() {
    }

    /**
     * A service's options on a stack, unless {@code JHE_JAVA_OPTS} ({@code override}, split on blanks) says: {@code
     * up} gives {@code ./jhe up}'s options on any stack (the throughput benchmarks measured with what a newcomer
     * runs), anything else is the options themselves. On a JDK of 25 or later, with compact object headers unless
     * the override mentions them.
     */
    static List<String> service(Stack stack, Service service, String override, ServiceJava java) {
        List<String> options = new ArrayList<>();
        if (override != null && UP.equals(override.trim())) {
            options.addAll(up(service));
        } else if (override != null && !override.isBlank()) {
            options.addAll(Arrays.asList(override.trim().split("\\s+")));
        } else if ("bench".equals(stack.name())) {
            options.addAll(BENCH_SERVICE);
        } else {
            options.addAll(up(service));
        }
        if (java.hasAotCache() && options.stream().noneMatch(o -> o.contains("CompactObjectHeaders"))) {
            options.add(COMPACT_OBJECT_HEADERS);
        }
        return List.copyOf(options);
    }

    /** What {@code ./jhe up} gives a service on the dev and systest stacks. */
    static List<String> up(Service service) {
        return service == Service.IDENTITY ? IDENTITY_SERVICE : SERVICE;
    }

    /**
     * A service's migration run: its service's options (the same collector, heap limit and object headers, so that
     * the service's AOT cache serves it too), without a large heap committed and touched at start, which a run of
     * a second or two does not need.
     */
    static List<String> migration(List<String> service) {
        return service.stream().filter(o -> !o.startsWith("-Xms") && !o.equals("-XX:+AlwaysPreTouch")).toList();
    }
}
