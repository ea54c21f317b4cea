package org.jupyterhealth.exchange.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a service costs a cluster: for each service, restarted alone on the running bench stack, the time from its
 * process's start to its health saying {@code ready}, without its AOT cache (cold) and with it (JDK 25 or later, which
 * {@code ./jhe} uses when it is installed; the median of three starts); its resident memory (VmRSS) once idle, and
 * after 60 s of mixed load through the gateway (uploads, FHIR searches, admin lists, token grants); then the whole
 * stack's start, {@code ./jhe up --detach} from a stopped stack to every service ready, cold and with the caches. The
 * resident memory is measured idle after the cold start too, as a container image (which has no cache) would hold it.
 * Beside each start's time, the CPU time its process had used when it was ready: on a machine shared with other work
 * the time to ready says more about the other work than about the service, its CPU time much less so (it still grows a
 * little with the load, as the caches of the cores are shared).
 *
 * <p>Targets: each service ready in at most 1.5 s with its cache (cold when the JDK has none), idle RSS at most 200
 * MiB, the whole stack ready in at most 20 s. Exit code 1 if one is missed.
 *
 * <p>The services are stopped and started by {@code ./jhe} itself (this process runs in the project's folder, where
 * {@code ./jhe bench} starts it), with the JVM options {@code ./jhe up} gives them ({@code JHE_SERVICE_JAVA_OPTS},
 * set by {@code ./jhe bench}), not the bench stack's own, which commit and touch the largest heap at once for the
 * soak's sake. A start that finds no cache for the build is a training run ({@code JHE_AOT_CACHE=train}): {@code ./jhe
 * start} ends its recording 10 s after it is ready, when its JVM writes the cache, and it is stopped and started again
 * to be measured. At the end the bench stack is started again
 * as {@code ./jhe bench} starts it.
 */
public final class FootprintBenchmark {
    static final double READY_LIMIT_SECONDS = 1.5;
    static final long RSS_LIMIT_MIB = 200;
    static final double STACK_LIMIT_SECONDS = 20;
    /** The services and their HTTP port above the bench stack's service port base (the gateway: its own port). */
    static final Map<String, Integer> SLOTS = new LinkedHashMap<>();
    static {
        SLOTS.put("identity-service", 1);
        SLOTS.put("admin-service", 2);
        SLOTS.put("fhir-service", 3);
        SLOTS.put("ingest-service", 4);
        SLOTS.put("gateway", 0);
    }
    /** Starts with the AOT cache per service, of which the median is its figure. */
    private static final int CACHED_STARTS = 3;
    /** How a service's log says that a port it listens on was taken. */
    private static final String PORT_TAKEN = "Address already in use";
    private static final Duration IDLE = Duration.ofSeconds(15);
    private static final Duration LOAD = Duration.ofSeconds(60);
    private static final Duration READY_WAIT = Duration.ofSeconds(180);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    /** The services' JVM options on a stack started by {@code ./jhe up}. */
    private static final String SERVICE_JAVA_OPTS = System.getenv().getOrDefault("JHE_SERVICE_JAVA_OPTS", "");
    /**
     * identity-service's (another collector, for its password hashes); the whole stack's start, which takes one set
     * of options for every service, gives it the others'.
     */
    private static final String IDENTITY_JAVA_OPTS = System.getenv().getOrDefault("JHE_IDENTITY_SERVICE_JAVA_OPTS",
            SERVICE_JAVA_OPTS);

    private final int gatewayPort;
    private final Path pidDir;

    /** One service's figures; NaN or -1 where there is none. */
    record Row(String service, double cold, double coldCpu, long coldIdleMib, double aot, double aotCpu,
            long idleMib, long loadedMib) {
    }

    private FootprintBenchmark(int gatewayPort, Path pidDir) {
        this.gatewayPort = gatewayPort;
        this.pidDir = pidDir;
    }

    public static void main(String[] args) throws Exception {
        Exchange exchange = new Exchange();
        String offset = System.getenv().getOrDefault("JHE_PORT_OFFSET", "0");
        Path pidDir = Path.of(".jhe", "bench" + ("0".equals(offset) ? "" : "_" + offset), "pids");
        FootprintBenchmark benchmark = new FootprintBenchmark(URI.create(exchange.baseUrl()).getPort(), pidDir);
        System.out.printf("footprint of the bench stack (%s), each service restarted alone%n", exchange.baseUrl());

        Map<String, Row> rows = new LinkedHashMap<>();
        for (String service : SLOTS.keySet()) {
            rows.put(service, benchmark.measureAlone(service));
        }
        System.out.printf("%n%d s of mixed load through the gateway%n", LOAD.toSeconds());
        LoadRunner.Result load = mixedLoad(exchange);
        System.out.println("  " + load.summary());
        for (String service : SLOTS.keySet()) {
            Row row = rows.get(service);
            rows.put(service, new Row(service, row.cold(), row.coldCpu(), row.coldIdleMib(), row.aot(), row.aotCpu(),
                    row.idleMib(), SoakBenchmark.rssKib(service) / 1024));
            System.out.printf("  %-18s RSS after the load %d MiB%n", service, rows.get(service).loadedMib());
        }

        System.out.printf("%nthe whole stack: ./jhe down, then ./jhe up --detach --no-build until every service is"
                + " ready%n");
        double stackCold = benchmark.stackStart(false);
        double stackAot = benchmark.stackStart(true);

        // the figures first: a failed restart of the bench stack below takes none of them away
        boolean pass = report(rows, stackCold, stackAot);
        System.out.printf("%n(the bench stack is started again with its own options)%n");
        jhe(Map.of(), "down");
        Process up = jheProcess(Map.of(), "up", "--detach", "--no-build");
        String output = output(up);
        if (up.waitFor() != 0) {
            // with a port offset a port of the stack may be held by another program's connection for a moment
            System.out.println("  the bench stack did not start again (./jhe up --stack bench starts it):");
            System.out.println(output.lines().filter(l -> l.startsWith("[jhe]")).reduce("", (a, b) -> a + b
                    + System.lineSeparator()));
        }
        System.exit(pass ? 0 : 1);
    }

    /** Cold start, start with the AOT cache (after a training run if there was no cache), idle RSS. */
    private Row measureAlone(String service) throws IOException, InterruptedException {
        System.out.printf("%n%s%n", service);
        jhe(Map.of(), "stop", service);
        Start coldStart = startAlone(service, false);
        System.out.printf("  cold start (no AOT cache)        ready in %.2f s (%.2f s of CPU: %s)%n", coldStart.seconds(),
                coldStart.cpuSeconds(), coldStart.threads());
        // without a cache, as in a container image (which has none): the classes are in the JVM's metaspace
        Thread.sleep(IDLE.toMillis());
        long coldIdle = SoakBenchmark.rssKib(service) / 1024;
        System.out.printf("  idle RSS after %d s, no cache     %d MiB%s%n", IDLE.toSeconds(), coldIdle,
                rssParts(service));
        jhe(Map.of(), "stop", service);
        Start start = startAlone(service, true);
        if (start.training()) {
            System.out.printf("  training run (no cache yet)      ready in %.2f s; it recorded its start and wrote the"
                    + " cache%n", start.seconds());
            jhe(Map.of(), "stop", service);
            start = startAlone(service, true);
        }
        double aot = start.withCache() ? start.seconds() : Double.NaN;
        double aotCpu = start.withCache() ? start.cpuSeconds() : Double.NaN;
        if (start.withCache()) {
            // one start says as much about what else the machine did in those two seconds as about the service: the
            // median of three, each printed
            List<Start> starts = new ArrayList<>(List.of(start));
            for (int again = 1; again < CACHED_STARTS; again++) {
                jhe(Map.of(), "stop", service);
                starts.add(startAlone(service, true));
            }
            aot = LoadRunner.median(starts.stream().mapToDouble(Start::seconds).toArray());
            aotCpu = LoadRunner.median(starts.stream().mapToDouble(Start::cpuSeconds).toArray());
            System.out.printf("  start with its AOT cache         ready in %.2f s (%.2f s of CPU), the median of %s%n",
                    aot, aotCpu, String.join(", ", starts.stream().map(one -> String.format("%.2f s (%.2f s)",
                            one.seconds(), one.cpuSeconds())).toList()));
            System.out.printf("  of which, the median start's     %s%n",
                    starts.stream().sorted((a, b) -> Double.compare(a.seconds(), b.seconds())).toList()
                            .get(starts.size() / 2).threads());
        } else {
            System.out.println("  no AOT cache (its Java is older than 25, or JHE_AOT_CACHE=false)");
        }
        Thread.sleep(IDLE.toMillis());
        long idle = SoakBenchmark.rssKib(service) / 1024;
        System.out.printf("  idle RSS after %d s               %d MiB%s%n", IDLE.toSeconds(), idle,
                rssParts(service));
        return new Row(service, coldStart.seconds(), coldStart.cpuSeconds(), coldIdle, aot, aotCpu, idle, -1);
    }

    /**
     * What one start measured: the time from the process's start (the kernel's record of it) to its health saying
     * ready, the CPU time the process had used by then (all its threads: the main thread, the JIT compilers, the
     * collector, the clients' threads), that time by kind of thread, and whether it used an AOT cache or trained one
     * (its command line says).
     */
    record Start(double seconds, double cpuSeconds, ThreadCpu threads, boolean withCache, boolean training) {
    }

    /**
     * {@link #startOnce}, and again (three tries in all) when the service could not listen because another
     * program's connection held its port for the moment (with a port offset the bench stack's ports fall in the
     * range Linux hands out to outgoing connections).
     */
    private Start startAlone(String service, boolean aot) throws IOException, InterruptedException {
        for (int attempt = 1;; attempt++) {
            try {
                return startOnce(service, aot);
            } catch (PortTaken e) {
                if (attempt == 3) {
                    throw e;
                }
                System.out.printf("  (%s's port was taken by another program's connection: once more)%n", service);
            }
        }
    }

    /** A start that ended because a port of the service was taken. */
    static final class PortTaken extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PortTaken(String service) {
            super(service + " could not listen: its port was taken");
        }
    }

    private Start startOnce(String service, boolean aot) throws IOException, InterruptedException {
        Path pidFile = pidDir.resolve(service + ".pid");
        Files.deleteIfExists(pidFile);
        // the bench stack trains a cache only when asked to
        Process jhe = jheProcess(Map.of("JHE_AOT_CACHE", aot ? "train" : "false", "JHE_JAVA_OPTS",
                "identity-service".equals(service) ? IDENTITY_JAVA_OPTS : SERVICE_JAVA_OPTS), "start", service);
        long deadline = System.nanoTime() + READY_WAIT.toNanos();
        String pid = null;
        while (pid == null) {
            if (System.nanoTime() > deadline || !jhe.isAlive() && !Files.isRegularFile(pidFile)) {
                throw new IllegalStateException(service + " did not start: " + output(jhe));
            }
            pid = Files.isRegularFile(pidFile) ? Files.readString(pidFile).trim() : null;
            if (pid != null && pid.isEmpty()) {
                pid = null;
            }
            Thread.sleep(5);
        }
        double started = processStartSeconds(pid);
        Path log = pidDir.resolveSibling("logs").resolve(service + ".log");
        long logStart = Files.isRegularFile(log) ? Files.size(log) : 0;
        while (!ready(service)) {
            if (!Files.exists(Path.of("/proc", pid))) {
                jhe.waitFor();
                String tail = Files.isRegularFile(log) ? Files.readString(log).substring((int) Math.min(logStart,
                        Files.size(log))) : "";
                if (tail.contains(PORT_TAKEN)) {
                    throw new PortTaken(service);
                }
                throw new IllegalStateException(service + " exited during its start: " + output(jhe));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(service + " not ready after " + READY_WAIT.toSeconds() + " s");
            }
            Thread.sleep(10);
        }
        double seconds = uptimeSeconds() - started;
        double cpu = processCpuSeconds(pid);
        ThreadCpu threads = ThreadCpu.of(Path.of("/proc", pid));
        if (jhe.waitFor() != 0) {
            throw new IllegalStateException("./jhe start " + service + " failed: " + output(jhe));
        }
        String command = Files.readString(Path.of("/proc", pid, "cmdline")).replace('\0', ' ');
        return new Start(seconds, cpu, threads, command.contains("-XX:AOTCache="),
                command.contains("-XX:AOTCacheOutput="));
    }

    /**
     * {@code ./jhe down}, then {@code ./jhe up --detach --no-build}: seconds until it reports every service ready.
     * A start that failed because another program held one of the stack's ports (with a port offset the bench
     * stack's ports fall in the range Linux hands out to outgoing connections) is measured again, once.
     */
    private double stackStart(boolean aot) throws IOException, InterruptedException {
        Map<String, String> env = Map.of("JHE_AOT_CACHE", aot ? "true" : "false", "JHE_JAVA_OPTS", SERVICE_JAVA_OPTS);
        for (int attempt = 1;; attempt++) {
            jhe(Map.of(), "down");
            long start = System.nanoTime();
            Process up = jheProcess(env, "up", "--detach", "--no-build");
            String output = output(up);
            if (up.waitFor() == 0) {
                return reportStackStart(aot, (System.nanoTime() - start) / 1e9);
            }
            if (attempt > 1 || !output.contains(PORT_TAKEN)) {
                throw new IllegalStateException("./jhe up --detach --no-build failed: " + output);
            }
            System.out.println("  (a port of the stack was taken by another program's connection: once more)");
        }
    }

    private static double reportStackStart(boolean aot, double seconds) {
        System.out.printf("  %-32s ready in %.1f s%n", aot ? "with the AOT caches" : "cold (no AOT cache)", seconds);
        return seconds;
    }

    private static LoadRunner.Result mixedLoad(Exchange exchange) throws Exception {
        UploadBenchmark.Uploader uploader = UploadBenchmark.UPLOADERS.get(0);
        String uploaderToken = exchange.passwordToken(uploader.email());
        String[] template = UploadBenchmark.template(uploader);
        String mary = exchange.passwordToken("manager_mary@example.com");
        List<String> reads = List.of("/fhir/r5/Observation?patient._has:Group:member:_id=30001&_count=20",
                "/fhir/r5/Patient?_has:Group:member:_id=30001", "/api/v1/patients?organization_id=20003",
                "/api/v1/studies?organization_id=20003");
        AtomicLong turn = new AtomicLong();
        // 8 clients: one uploads 100-entry Bundles, one asks for tokens, six read
        LoadRunner.Result result = LoadRunner.run("mixed: upload, token, FHIR and admin reads", 8, Duration.ZERO,
                LOAD, worker -> switch (worker) {
                    case 0 -> UploadBenchmark.post(exchange, uploaderToken, UploadBenchmark.bundle(template))
                            .statusCode() == 200;
                    case 1 -> exchange.postForm("/o/token/", Map.of("grant_type", "password", "client_id",
                            "jhe-demo", "username", "member_megan@example.com", "password", Exchange.DEMO_PASSWORD,
                            "scope", "read write"), null).statusCode() == 200;
                    default -> exchange.get(reads.get((int) (turn.getAndIncrement() % reads.size())), mary)
                            .statusCode() == 200;
                });
        UploadBenchmark.removeUploads("this run");
        return result;
    }

    private static boolean report(Map<String, Row> rows, double stackCold, double stackAot) {
        System.out.printf("%n%-18s %12s %12s %10s %12s %12s %10s %14s%n", "service", "cold start", "(CPU)",
                "(idle RSS)", "AOT cache", "(CPU)", "idle RSS", "RSS after load");
        boolean pass = true;
        for (Row row : rows.values()) {
            double measured = Double.isNaN(row.aot()) ? row.cold() : row.aot();
            boolean fast = measured <= READY_LIMIT_SECONDS;
            boolean small = row.idleMib() <= RSS_LIMIT_MIB;
            pass &= fast && small;
            System.out.printf("%-18s %10.2f s %10.2f s %6d MiB %12s %12s %6d MiB %10d MiB  %s%n", row.service(),
                    row.cold(), row.coldCpu(), row.coldIdleMib(),
                    Double.isNaN(row.aot()) ? "-" : String.format("%.2f s", row.aot()),
                    Double.isNaN(row.aotCpu()) ? "-" : String.format("%.2f s", row.aotCpu()), row.idleMib(),
                    row.loadedMib(), (fast ? "" : "slower than " + READY_LIMIT_SECONDS + " s ")
                            + (small ? "" : "more than " + RSS_LIMIT_MIB + " MiB idle"));
        }
        boolean stackFast = Math.min(stackCold, stackAot) <= STACK_LIMIT_SECONDS;
        pass &= stackFast;
        System.out.printf("%-18s %10.1f s %12s %10s %10.1f s %s%n", "whole stack", stackCold, "", "", stackAot,
                stackFast ? "" : "  slower than " + STACK_LIMIT_SECONDS + " s");
        System.out.printf("%nTargets: ready in at most %.1f s restarted alone (with the AOT cache where the JDK has"
                + " one), idle RSS at most %d MiB, whole stack at most %.0f s: %s%n", READY_LIMIT_SECONDS,
                RSS_LIMIT_MIB, STACK_LIMIT_SECONDS, pass ? "MET" : "MISSED");
        return pass;
    }

    /**
     * Whether the service's health says ready. Asked only once something listens on its management port: with a port
     * offset the bench stack's ports fall in the range Linux hands out to outgoing connections, and a connection to
     * such a port on which nothing listens yet can be given that very port as its own and connect to itself (TCP's
     * simultaneous open), holding the port the service is about to listen on.
     */
    private boolean ready(String service) {
        int port = SLOTS.get(service) == 0 ? gatewayPort : Exchange.servicePort(gatewayPort, SLOTS.get(service));
        if (!listening(port + 500)) {
            return false;
        }
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + (port + 500) + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether a socket listens on a local TCP port, read from the kernel's tables (no connection attempted). */
    static boolean listening(int port) {
        String local = String.format(":%04X ", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] fields = line.trim().split("\\s+");
                    // local_address is field 1, st (state) field 3; 0A is LISTEN
                    if (fields.length > 3 && (fields[1] + " ").endsWith(local) && fields[3].equals("0A")) {
                        return true;
                    }
                }
            } catch (IOException e) {
                // no such table (no IPv6): the other one tells
            }
        }
        return false;
    }

    /**
     * Where a service's resident memory is, as the kernel counts it: anonymous pages (the heap, compiled code, the
     * JVM's and the C library's own memory, and the AOT cache's pages the JVM wrote to when it mapped them) and pages
     * of files (the JVM's libraries, the jars, the rest of the mapped AOT cache). Empty when there is no such process.
     */
    static String rssParts(String service) {
        String pid = SoakBenchmark.pidOf(service);
        if (pid == null) {
            return "";
        }
        try {
            long anon = -1;
            long file = -1;
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("RssAnon:")) {
                    anon = Long.parseLong(line.replaceAll("[^0-9]", ""));
                } else if (line.startsWith("RssFile:")) {
                    file = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return anon < 0 || file < 0 ? "" : String.format(" (anonymous %d MiB, files %d MiB)", anon / 1024,
                    file / 1024);
        } catch (IOException | RuntimeException e) {
            // it exited, or not on Linux: no figure
            return "";
        }
    }

    /** Seconds since boot at which a process started: field 22 of {@code /proc/PID/stat}, in clock ticks. */
    static double processStartSeconds(String pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        // the command name (field 2) may hold blanks: count from the parenthesis that closes it
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[22 - 3]) / ThreadCpu.CLOCK_TICKS_PER_SECOND;
    }

    /** The CPU time a process has used, user and system, all its threads: fields 14 and 15 of its stat. */
    static double processCpuSeconds(String pid) throws IOException {
        return ThreadCpu.cpuSeconds(Files.readString(Path.of("/proc", pid, "stat")));
    }

    static double uptimeSeconds() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
    }

    private static void jhe(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Process process = jheProcess(env, args);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("./jhe " + String.join(" ", args) + " failed: " + output(process));
        }
    }

    /** {@code ./jhe ARGS} on the bench stack, its output kept for when it fails. */
    private static Process jheProcess(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("./jhe"));
        command.addAll(List.of(args));
        command.addAll(List.of("--stack", "bench"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        return builder.start();
    }

    private static String output(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
