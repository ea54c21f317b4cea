package org.jupyterhealth.exchange.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A soak: minutes of mixed load through the gateway at a steady, sustainable rate, to show what a benchmark of
 * seconds cannot: errors that come with time, latency that creeps up, memory that is never given back. The load:
 * 8 uploaders each POSTing a 100-entry batch Bundle (as {@link UploadBenchmark} builds them) every second, FHIR
 * searches (a patient's latest observations, a study's observations of one code, a study's patients), admin lists
 * (patients, studies, organizations) and token grants (refresh_token, each worker following its own rotation chain,
 * and client_credentials). Each kind is paced (a request every interval per worker; a slow answer delays the next),
 * so the offered load is the same in every minute.
 *
 * <p>Every minute it prints, per kind, the requests, the errors (an answer other than the expected one: an upload
 * that is not 100 × {@code 201 Created}, any status but 200) and the p50/p99 latency, and the resident memory
 * (VmRSS) of each service process. The searches read data that does not grow with the uploads (Peter's latest
 * page without a total, codes nobody uploads), so that a minute's latency depends on the system, not on how
 * much the soak has stored. The bench stack's services touch their whole heap at start ({@code ./jhe}), so that
 * their resident memory grows only with what they keep outside it. After the first measured minute and after the
 * last, each service is also asked for a full garbage collection ({@code jcmd PID GC.run}) and its live heap is read
 * ({@code GC.heap_info}): objects that are never let go show there, inside a heap whose resident size is fixed.
 *
 * <p>Verdict, after the warm-up minutes (printed, not judged, except for errors): no error in the whole run; the p99
 * of each kind in the last minute at most 1.5× its p99 in the first measured minute; the RSS of each service in the
 * last minute at most 10% above its RSS at the end of the first measured minute; the live heap of each service at
 * the end at most 10% (or 16 MiB, whichever is more) above its live heap after the first measured minute. The exit
 * code is 1 when any of these fails.
 *
 * <p>Run: {@code ./jhe bench SoakBenchmark [measured minutes, default 10] [warm-up minutes, default 1]}
 */
public final class SoakBenchmark {
    static final String[] SERVICES = { "gateway", "identity-service", "admin-service", "fhir-service",
            "ingest-service" };
    static final double P99_LIMIT = 1.5;
    static final double RSS_LIMIT = 0.10;
    static final double HEAP_LIMIT = 0.10;
    static final long HEAP_SLACK_KIB = 16 * 1024;
    /** A generation's line in {@code GC.heap_info}, whatever the collector: {@code ... used 123456K}. */
    private static final Pattern HEAP_USED = Pattern.compile("(?m)^\\s*(?:PSYoungGen|ParOldGen|def new generation"
            + "|tenured generation|garbage-first heap)\\b.*?used (\\d+)K");
    private static final String SERVICE_BASIC = Base64.getEncoder()
            .encodeToString("admin-service:admin-service-dev-secret".getBytes(StandardCharsets.UTF_8));

    /** One kind of request: its workers, the pause between one worker's requests, and what it measured. */
    static final class Kind {
        final String name;
        final int workers;
        final long intervalMillis;
        final Recorder latencies = new Recorder(3);
        final AtomicLong requests = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong totalErrors = new AtomicLong();
        final List<Histogram> minutes = new ArrayList<>();
        final List<String> firstErrors = new ArrayList<>();

        Kind(String name, int workers, long intervalMillis) {
            this.name = name;
            this.workers = workers;
            this.intervalMillis = intervalMillis;
        }

        void record(long startedNanos, boolean ok, String failure) {
            latencies.recordValue(Math.max(1, (System.nanoTime() - startedNanos) / 1000));
            requests.incrementAndGet();
            if (!ok) {
                errors.incrementAndGet();
                totalErrors.incrementAndGet();
                synchronized (firstErrors) {
                    if (firstErrors.size() < 5) {
                        firstErrors.add(failure);
                    }
                }
            }
        }
    }

    /** One request of a kind, by one of its workers; returns null when the answer was the expected one. */
    @FunctionalInterface
    interface Request {
        String send(int worker) throws Exception;
    }

    private SoakBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int measured = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        UploadBenchmark.removeUploads("earlier runs");
        Exchange exchange = new Exchange();

        // tokens first: uploaders are the demo patients, searches and lists run as Mary (manager of the Lifespan
        // organization) and as Peter, the organization list as the superuser
        List<String> uploaderTokens = new ArrayList<>();
        List<String[]> templates = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            UploadBenchmark.Uploader uploader = UploadBenchmark.UPLOADERS.get(w % UploadBenchmark.UPLOADERS.size());
            uploaderTokens.add(exchange.passwordToken(uploader.email()));
            templates.add(UploadBenchmark.template(uploader));
        }
        String mary = exchange.passwordToken("manager_mary@example.com");
        String peter = exchange.passwordToken("ll_patient_peter@example.com");
        String admin = exchange.passwordToken("admin@example.com");
        String[] chains = new String[2];
        for (int w = 0; w < chains.length; w++) {
            chains[w] = exchange.tokenResponse(Map.of("grant_type", "password", "client_id", "jhe-demo", "username",
                    "member_megan@example.com", "password", Exchange.DEMO_PASSWORD, "scope", "read write"))
                    .get("refresh_token").asText();
        }
        // each search is a kind of its own, so that the verdict names the one that degrades
        Map<String, String> searches = new LinkedHashMap<>();
        searches.put("FHIR latest page", "/fhir/r5/Observation?_count=20&_total=none");
        searches.put("FHIR study by code", "/fhir/r5/Observation?patient._has:Group:member:_id=30001"
                + "&code=https://w3id.org/openmhealth%7Comh:blood-glucose:4.0&_count=20");
        searches.put("FHIR study patients", "/fhir/r5/Patient?_has:Group:member:_id=30001");
        List<String> lists = List.of("/api/v1/patients?organization_id=20003", "/api/v1/studies?organization_id=20003",
                "/api/v1/organizations");

        Map<Kind, Request> kinds = new LinkedHashMap<>();
        kinds.put(new Kind("upload (100 entries)", 8, 1_000), worker -> {
            Exchange.Response response = UploadBenchmark.post(exchange, uploaderTokens.get(worker),
                    UploadBenchmark.bundle(templates.get(worker)));
            return response.statusCode() == 200
                    && UploadBenchmark.count(response.body(), "\"201 Created\"") == UploadBenchmark.ENTRIES ? null
                    : failure(response);
        });
        searches.forEach((name, search) -> kinds.put(new Kind(name, 2, 150), worker -> {
            Exchange.Response response = exchange.get(search, name.equals("FHIR latest page") ? peter : mary);
            return response.statusCode() == 200 ? null : failure(response);
        }));
        AtomicLong listTurn = new AtomicLong();
        kinds.put(new Kind("admin list", 2, 100), worker -> {
            int turn = (int) (listTurn.getAndIncrement() % lists.size());
            Exchange.Response response = exchange.get(lists.get(turn), turn == 2 ? admin : mary);
            return response.statusCode() == 200 ? null : failure(response);
        });
        AtomicBoolean refreshNext = new AtomicBoolean();
        kinds.put(new Kind("token grant", 2, 200), worker -> {
            if (refreshNext.getAndSet(!refreshNext.get())) {
                Exchange.Response response = exchange.postForm("/o/token/", Map.of("grant_type", "refresh_token",
                        "client_id", "jhe-demo", "refresh_token", chains[worker]), null);
                if (response.statusCode() != 200) {
                    return failure(response);
                }
                JsonNode body = Exchange.JSON.readTree(response.body());
                chains[worker] = body.get("refresh_token").asText();
                return null;
            }
            Exchange.Response response = exchange.postForm("/o/token/", Map.of("grant_type", "client_credentials"),
                    SERVICE_BASIC);
            return response.statusCode() == 200 ? null : failure(response);
        });

        System.out.printf("soak through %s: %d warm-up + %d measured minutes%n", exchange.baseUrl(), warmUp, measured);
        kinds.keySet().forEach(kind -> System.out.printf("  %-22s %d workers, one request per %d ms each%n",
                kind.name, kind.workers, kind.intervalMillis));
        System.out.printf("%n%-7s %-22s %9s %7s %9s %9s%n", "minute", "kind", "requests", "errors", "p50 ms",
                "p99 ms");

        AtomicBoolean running = new AtomicBoolean(true);
        int threads = kinds.keySet().stream().mapToInt(kind -> kind.workers).sum();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        kinds.forEach((kind, request) -> {
            for (int w = 0; w < kind.workers; w++) {
                int worker = w;
                pool.submit(() -> paced(kind, request, worker, running));
            }
        });

        Map<String, List<Long>> rss = new LinkedHashMap<>();
        Map<String, Long> liveHeapAfterFirst = new LinkedHashMap<>();
        for (String service : SERVICES) {
            rss.put(service, new ArrayList<>());
        }
        long start = System.nanoTime();
        for (int minute = 1; minute <= warmUp + measured; minute++) {
            long due = start + TimeUnit.MINUTES.toNanos(minute);
            while (System.nanoTime() < due) {
                Thread.sleep(Math.max(1, Math.min(1_000, (due - System.nanoTime()) / 1_000_000)));
            }
            String label = minute <= warmUp ? "w" + minute : Integer.toString(minute - warmUp);
            for (Kind kind : kinds.keySet()) {
                Histogram histogram = kind.latencies.getIntervalHistogram();
                kind.minutes.add(histogram);
                System.out.printf("%-7s %-22s %9d %7d %9.1f %9.1f%n", label, kind.name, kind.requests.getAndSet(0),
                        kind.errors.getAndSet(0), histogram.getValueAtPercentile(50) / 1000.0,
                        histogram.getValueAtPercentile(99) / 1000.0);
            }
            StringBuilder memory = new StringBuilder();
            for (String service : SERVICES) {
                long kib = rssKib(service);
                rss.get(service).add(kib);
                memory.append(String.format("  %s %,d", service, kib / 1024));
            }
            System.out.printf("%-7s RSS MiB%s%n", label, memory);
            if (minute == warmUp + 1) {
                liveHeapAfterFirst.putAll(liveHeaps(label));
            }
        }
        running.set(false);
        pool.shutdown();
        pool.awaitTermination(2, TimeUnit.MINUTES);

        Map<String, Long> liveHeapAtEnd = liveHeaps("end");
        boolean pass = verdict(kinds.keySet(), rss, liveHeapAfterFirst, liveHeapAtEnd, warmUp, measured);
        UploadBenchmark.removeUploads("this run");
        System.exit(pass ? 0 : 1);
    }

    /** One worker: a request every interval (a slow answer delays the next one, nothing piles up). */
    private static void paced(Kind kind, Request request, int worker, AtomicBoolean running) {
        // the workers of a kind start spread over one interval, not all at once
        long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(kind.intervalMillis * worker / kind.workers);
        while (running.get()) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                sleepNanos(wait);
            }
            next = Math.max(next + TimeUnit.MILLISECONDS.toNanos(kind.intervalMillis), System.nanoTime());
            long started = System.nanoTime();
            String failure;
            try {
                failure = request.send(worker);
            } catch (Exception e) {
                failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            kind.record(started, failure == null, failure);
        }
    }

    private static boolean verdict(Iterable<Kind> kinds, Map<String, List<Long>> rss, Map<String, Long> heapFirst,
            Map<String, Long> heapEnd, int warmUp, int measured) {
        boolean pass = true;
        int first = warmUp;
        int last = warmUp + measured - 1;
        System.out.printf("%nverdict (first measured minute %d, last %d):%n", 1, measured);
        for (Kind kind : kinds) {
            long errors = kind.totalErrors.get();
            double p99First = kind.minutes.get(first).getValueAtPercentile(99) / 1000.0;
            double p99Last = kind.minutes.get(last).getValueAtPercentile(99) / 1000.0;
            boolean ok = errors == 0 && p99Last <= P99_LIMIT * p99First;
            pass &= ok;
            System.out.printf("  %-22s errors %d; p99 %.1f ms → %.1f ms (%.2f×, at most %.1f×)  %s%n", kind.name,
                    errors, p99First, p99Last, p99Last / p99First, P99_LIMIT, ok ? "ok" : "FAILED");
            kind.firstErrors.forEach(error -> System.out.println("      e.g. " + error));
        }
        for (Map.Entry<String, List<Long>> service : rss.entrySet()) {
            long after = service.getValue().get(first);
            long end = service.getValue().get(last);
            boolean ok = after > 0 && end <= after * (1 + RSS_LIMIT);
            pass &= ok;
            System.out.printf("  %-22s RSS %,d MiB → %,d MiB (%+.1f%%, at most +%.0f%%)  %s%n", service.getKey(),
                    after / 1024, end / 1024, after > 0 ? 100.0 * (end - after) / after : 0.0, 100 * RSS_LIMIT,
                    ok ? "ok" : "FAILED");
        }
        for (String service : SERVICES) {
            long after = heapFirst.getOrDefault(service, 0L);
            long end = heapEnd.getOrDefault(service, 0L);
            long allowed = Math.max((long) (after * (1 + HEAP_LIMIT)), after + HEAP_SLACK_KIB);
            boolean ok = after > 0 && end > 0 && end <= allowed;
            pass &= ok;
            System.out.printf("  %-22s live heap %,d MiB → %,d MiB (%+.1f%%, at most %,d MiB)  %s%n", service,
                    after / 1024, end / 1024, after > 0 ? 100.0 * (end - after) / after : 0.0, allowed / 1024,
                    ok ? "ok" : "FAILED");
        }
        System.out.println(pass ? "PASSED" : "FAILED");
        return pass;
    }

    /**
     * Each service's live heap in KiB: the heap in use right after a full collection, which keeps only what is still
     * referenced. 0 when it cannot be read (the service is not running, or no {@code jcmd} beside this JVM).
     */
    private static Map<String, Long> liveHeaps(String label) {
        Map<String, Long> heaps = new LinkedHashMap<>();
        StringBuilder line = new StringBuilder();
        for (String service : SERVICES) {
            long kib = 0;
            String pid = pidOf(service);
            if (pid != null && jcmd(pid, "GC.run") != null) {
                kib = heapUsedKib(jcmd(pid, "GC.heap_info"));
            }
            heaps.put(service, kib);
            line.append(String.format("  %s %,d", service, kib / 1024));
        }
        System.out.printf("%-7s live heap MiB after a full collection%s%n", label, line);
        return heaps;
    }

    /** The sum of the "used" figures of the heap's generations as {@code GC.heap_info} prints them. */
    static long heapUsedKib(String heapInfo) {
        if (heapInfo == null) {
            return 0;
        }
        long used = 0;
        Matcher m = HEAP_USED.matcher(heapInfo);
        while (m.find()) {
            used += Long.parseLong(m.group(1));
        }
        return used;
    }

    private static String jcmd(String pid, String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process process = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", pid, command)
                    .redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes());
            return process.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static String pidOf(String service) {
        String offset = System.getenv().getOrDefault("JHE_PORT_OFFSET", "0");
        Path pidFile = Path.of(".jhe", "bench" + ("0".equals(offset) ? "" : "_" + offset), "pids", service + ".pid");
        try {
            return Files.readString(pidFile).trim();
        } catch (IOException e) {
            return null;
        }
    }

    static long rssKib(String service) {
        String pid = pidOf(service);
        if (pid == null) {
            return 0;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not running, or not on Linux: no figure
        }
        return 0;
    }

    private static String failure(Exchange.Response response) {
        String body = response.body();
        return response.statusCode() + " " + (body.length() > 200 ? body.substring(0, 200) + "…" : body);
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
