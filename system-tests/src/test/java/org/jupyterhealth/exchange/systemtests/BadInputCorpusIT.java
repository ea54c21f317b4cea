package org.jupyterhealth.exchange.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The bad-input corpus: every operation of the OpenAPI document (read from the running system), the FHIR API and
 * the OAuth endpoints, through the gateway, with malformed JSON, wrong types, control characters, invalid UTF-8,
 * huge strings and bodies, deep nesting, injections in every parameter, field and path id, bad ids, dates and
 * base64, wrong content types and forged headers, as the demo superuser, a manager, a viewer, a patient and
 * anonymously. Every answer must be below 500, free of stack traces, class names, SQL and internal addresses, and
 * in the documented error shape of its path; inputs no server may accept must be refused ({@link Probe}).
 *
 * <p>Runs after the other system tests (it changes the demo data and, by its failed sign-ins, locks the test
 * machine's address out of the password grant for a while). On failure it lists every offending request and
 * answer, grouped by service (also written to {@code target/bad-input-corpus.txt}).
 */
@Order(90)
@ExtendWith(SystemStack.class)
class BadInputCorpusIT {
    /** The personas, the strongest first (the order ties are broken in). */
    static final Map<String, String> PERSONAS = personas();
    /** Users and patients of the personas: the corpus does not change or delete them. */
    static final Set<String> PERSONA_IDS = Set.of("10001", "10002", "10004", "10006", "40001");
    static final int THREADS = 4;
    static final Duration BUDGET = Duration.ofSeconds(Long.getLong("jhe.corpus.budget-seconds", 600));

    private final Map<String, String> tokens = new LinkedHashMap<>();
    private final ProbeClient client = new ProbeClient("127.0.0.1", SystemStack.GATEWAY_PORT, 40_000);
    private final Map<String, String> validIds = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
    private final AtomicInteger throttled = new AtomicInteger();
    private final Probe.ForbiddenText forbidden = forbiddenText();
    private long deadline;

    record Result(Probe probe, ProbeClient.Answer answer, List<String> problems) {
    }

    private static Map<String, String> personas() {
        Map<String, String> personas = new LinkedHashMap<>();
        personas.put("superuser", "admin@example.com");
        personas.put("manager", "manager_mary@example.com");
        personas.put("viewer", "viewer_victor@example.com");
        personas.put("patient", "ll_patient_peter@example.com");
        return personas;
    }

    /** Internal addresses (services, broker, database) and the host the forged headers name. */
    private static Probe.ForbiddenText forbiddenText() {
        int offset = SystemStack.PORT_OFFSET;
        List<String> ports = new ArrayList<>();
        for (int service = 1; service <= 4; service++) {
            for (int replica = 0; replica <= 3; replica++) {
                ports.add(Integer.toString(18080 + offset + service + 10 * replica));
            }
        }
        ports.add(Integer.toString(29092 + offset));
        ports.add(Integer.toString(29093 + offset));
        ports.add("5432");
        ports.add("15432");
        return new Probe.ForbiddenText(List.of(
                Pattern.compile("127\\.0\\.0\\.1|0\\.0\\.0\\.0|\\[::1\\]"),
                Pattern.compile(":(" + String.join("|", ports) + ")\\b"),
                Pattern.compile(Pattern.quote(GatewayProbes.EVIL_HOST))));
    }

    @Test
    void noInputGetsAServerErrorALeakOrAnUndocumentedShape() throws Exception {
        long started = System.nanoTime();
        deadline = started + BUDGET.toNanos();
        for (Map.Entry<String, String> persona : PERSONAS.entrySet()) {
            tokens.put(persona.getKey(), EndToEndIT.passwordToken(persona.getValue()));
        }
        Map<String, String> tampered = new LinkedHashMap<>();
        tokens.forEach((persona, token) -> tampered.put(persona, token.substring(0, token.length() - 2)
                + (token.endsWith("AA") ? "BB" : "AA")));
        List<String> personaNames = List.copyOf(PERSONAS.keySet());

        JsonNode openApi = json(get("/api/v1/schema/?format=json", null));
        JsonNode capabilities = json(get("/fhir/r5/metadata", null));
        Map<String, String> fhirIds = new LinkedHashMap<>();
        for (JsonNode resource : capabilities.path("rest").path(0).path("resource")) {
            String type = resource.path("type").asText();
            boolean read = false;
            for (JsonNode interaction : resource.path("interaction")) {
                read |= "read".equals(interaction.path("code").asText());
            }
            if (!read) {
                continue; // searched only (the audit trail): no id to read
            }
            JsonNode found = json(get("/fhir/r5/" + type + "?_count=1", "manager"));
            fhirIds.put(type, found.path("entry").path(0).path("resource").path("id").asText("1"));
        }

        OpenApiProbes api = new OpenApiProbes(openApi, personaNames, this::validId, tampered);
        List<OpenApiProbes.Operation> operations = api.operations(FhirProbes::covers);
        assertThat(operations).as("operations in the OpenAPI document").hasSizeGreaterThan(50);
        OAuthProbes oauth = new OAuthProbes(csrf());
        // the plausible request of each operation names existing records: found before anything is changed
        Map<String, List<Probe>> baselines = new LinkedHashMap<>();
        for (OpenApiProbes.Operation operation : operations) {
            baselines.put(operation.key(), api.baselines(operation));
        }

        // the OAuth endpoints are probed by one client at its own pace (the gateway limits their rate)
        ExecutorService oauthThread = Executors.newSingleThreadExecutor();
        Future<?> oauthRun = oauthThread.submit(() -> {
            runAll(oauth.probes(), 1);
            return null;
        });
        // FHIR first, while the demo world (consents, data sources) is as seeded: the admin probes change it
        FhirProbes fhir = new FhirProbes(capabilities, personaNames, fhirIds);
        // a resource of the store that Peter wrote through his app: bad replacements and patches are aimed at it
        long source = ResourceStoreIT.registerSource(tokens.get(FhirProbes.UPLOADER), "Corpus App");
        String stored = given().auth().oauth2(tokens.get(FhirProbes.UPLOADER)).contentType(Uploads.FHIR_JSON)
                .header(ResourceStoreIT.SOURCE_HEADER, Long.toString(source))
                .body(FhirProbes.replacement(FhirProbes.STORED_TYPE, null))
                .when().post("/fhir/r5/" + FhirProbes.STORED_TYPE)
                .then().statusCode(201).extract().path("id");
        List<Probe> fhirAndGateway = new ArrayList<>(fhir.reads());
        fhirAndGateway.addAll(fhir.uploads());
        fhirAndGateway.addAll(fhir.storeWrites(FhirProbes.UPLOADER, stored, source));
        fhirAndGateway.addAll(GatewayProbes.probes());
        fhirAndGateway.addAll(GatewayProbes.sizes());
        runAll(fhirAndGateway, THREADS);
        // none of them changed it
        given().auth().oauth2(tokens.get(FhirProbes.UPLOADER))
                .when().get("/fhir/r5/" + FhirProbes.STORED_TYPE + "/" + stored)
                .then().statusCode(200).body("meta.versionId", equalTo("1")).body("status", equalTo("completed"));

        // the baselines show which persona gets furthest with each operation; then reads, writes, deletes
        List<Probe> allBaselines = baselines.values().stream().flatMap(List::stream).toList();
        runAll(allBaselines, THREADS);
        Map<Probe, ProbeClient.Answer> baselineAnswers = new IdentityHashMap<>();
        results.forEach(result -> baselineAnswers.put(result.probe(), result.answer()));
        List<Probe> reads = new ArrayList<>();
        List<Probe> writes = new ArrayList<>();
        List<Probe> deletes = new ArrayList<>();
        int index = 0;
        for (OpenApiProbes.Operation operation : operations) {
            String persona = furthest(baselines.get(operation.key()), baselineAnswers, personaNames);
            for (Probe probe : api.probes(operation, persona, index++)) {
                (switch (probe.method()) {
                    case "GET" -> reads;
                    case "DELETE" -> deletes;
                    default -> writes;
                }).add(probe);
            }
        }
        runAll(reads, THREADS);
        runAll(writes, THREADS);
        runAll(deletes, THREADS);
        oauthRun.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        oauthThread.shutdown();
        client.closeAll();

        report(Duration.ofNanos(System.nanoTime() - started));
    }

    // ------------------------------------------------------------------------------------------ running

    private void runAll(List<Probe> probes, int threads) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (Probe probe : probes) {
            pool.submit(() -> {
                if (System.nanoTime() > deadline) {
                    results.add(new Result(probe, null, List.of("not sent: the corpus ran out of its "
                            + BUDGET.toSeconds() + " s")));
                    return;
                }
                run(probe);
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(Math.max(1, deadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(60),
                TimeUnit.NANOSECONDS)) {
            pool.shutdownNow();
        }
    }

    private void run(Probe probe) {
        Probe sent = probe.persona() == null ? probe
                : probe.withHeader("Authorization", "Bearer " + tokens.get(probe.persona()));
        ProbeClient.Answer answer = client.send(sent.method(), sent.target(), sent.headers(), sent.body(),
                sent.chunked());
        // the gateway's rate limit: wait as told (briefly) and send again; a long lockout is an answer like another
        for (int attempt = 0; attempt < 5 && answer.status() == 429; attempt++) {
            long wait = retryAfter(answer);
            if (wait > 10) {
                break;
            }
            throttled.incrementAndGet();
            sleep(TimeUnit.SECONDS.toMillis(Math.max(1, wait)));
            answer = client.send(sent.method(), sent.target(), sent.headers(), sent.body(), sent.chunked());
        }
        List<String> problems = probe.problems(answer, forbidden);
        String location = answer.header("location");
        if (answer.status() >= 300 && answer.status() < 400 && location != null
                && !location.startsWith("/") && !location.startsWith(SystemStack.BASE_URL + "/")) {
            problems = new ArrayList<>(problems);
            problems.add("redirects away from the exchange: " + Probe.excerpt(location, 100));
        }
        results.add(new Result(probe, answer, problems));
    }

    private static long retryAfter(ProbeClient.Answer answer) {
        try {
            return Long.parseLong(String.valueOf(answer.header("retry-after")).trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** The persona whose baseline got furthest: a success, else a validation answer, else anything but 401/403. */
    private static String furthest(List<Probe> baselines, Map<Probe, ProbeClient.Answer> answers,
            List<String> personas) {
        String best = personas.get(0);
        int bestRank = Integer.MAX_VALUE;
        for (Probe probe : baselines) {
            ProbeClient.Answer answer = answers.get(probe);
            if (probe.persona() == null || answer == null) {
                continue;
            }
            int status = answer.status();
            int rank = status >= 200 && status < 300 ? 0
                    : status == 400 || status == 404 || status == 409 || status == 422 || status >= 500 ? 1
                    : status == 403 ? 3 : status == 401 || status == 0 ? 4 : 2;
            if (rank < bestRank) {
                bestRank = rank;
                best = probe.persona();
            }
        }
        return best;
    }

    // ------------------------------------------------------------------------------------------ set-up reads

    private ProbeClient.Answer get(String target, String persona) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (persona != null) {
            headers.put("Authorization", "Bearer " + tokens.get(persona));
        }
        return client.send("GET", target, headers, null, false);
    }

    private static JsonNode json(ProbeClient.Answer answer) throws IOException {
        assertThat(answer.status()).as("set-up read: %s", answer.text()).isEqualTo(200);
        return BadInputs.JSON.readTree(answer.body());
    }

    /**
     * An existing record of a collection ({@code /api/v1/patients}), as the superuser (else the manager) lists it,
     * other than the personas' own; null when there is none.
     */
    private String validId(String collection) {
        return validIds.computeIfAbsent(collection, c -> {
            for (String persona : List.of("superuser", "manager")) {
                ProbeClient.Answer answer = get(c + "?limit=100", persona);
                if (answer.status() != 200) {
                    continue;
                }
                try {
                    JsonNode body = BadInputs.JSON.readTree(answer.body());
                    JsonNode rows = body.isArray() ? body : body.path("results");
                    for (JsonNode row : rows) {
                        String id = row.path("id").asText("");
                        if (!id.isEmpty() && !PERSONA_IDS.contains(id)) {
                            return id;
                        }
                    }
                } catch (IOException e) {
                    // not a list: no id from it
                }
            }
            return "";
        }).transform(id -> id.isEmpty() ? null : id);
    }

    /** The CSRF value of a sign-in page (cookie and form field). */
    private String csrf() {
        ProbeClient.Answer page = get("/o/authorize/?response_type=code&client_id=jhe-admin-ui&redirect_uri="
                + BadInputs.urlEncoded(OAuthProbes.CALLBACK) + "&code_challenge=" + OAuthProbes.CHALLENGE
                + "&code_challenge_method=S256&scope=read%20write", null);
        assertThat(page.status()).as("the sign-in page").isEqualTo(200);
        for (String cookie : page.headers().getOrDefault("set-cookie", List.of())) {
            if (cookie.startsWith("jhe_csrf=")) {
                return cookie.substring("jhe_csrf=".length(), cookie.indexOf(';') > 0 ? cookie.indexOf(';')
                        : cookie.length());
            }
        }
        throw new AssertionError("the sign-in page set no CSRF cookie");
    }

    // ------------------------------------------------------------------------------------------ the report

    private void report(Duration took) throws IOException {
        List<Result> all = new ArrayList<>(results);
        Map<String, Long> byStatus = all.stream().collect(Collectors.groupingBy(
                r -> r.answer() == null ? "not sent" : r.answer().status() == 0 ? "no answer"
                        : r.answer().status() / 100 + "xx", TreeMap::new, Collectors.counting()));
        List<Result> failed = all.stream().filter(r -> !r.problems().isEmpty())
                .sorted(Comparator.comparing((Result r) -> service(r.probe().target()))
                        .thenComparing(r -> pathOf(r.probe().target())).thenComparing(r -> r.probe().label()))
                .toList();
        StringBuilder text = new StringBuilder();
        text.append(String.format("bad-input corpus: %d requests in %d s (%s), %d waits for the rate limit, "
                + "%d failed%n", all.size(), took.toSeconds(), byStatus, throttled.get(), failed.size()));
        // first what went wrong, by service, with a few of the requests; then every failed request
        Map<String, Map<String, List<Result>>> kinds = new TreeMap<>();
        for (Result result : failed) {
            for (String problem : result.problems()) {
                kinds.computeIfAbsent(service(result.probe().target()), k -> new TreeMap<>())
                        .computeIfAbsent(kind(problem), k -> new ArrayList<>()).add(result);
            }
        }
        kinds.forEach((service, problems) -> {
            text.append(String.format("%n%s%n", service));
            problems.entrySet().stream().sorted((a, b) -> b.getValue().size() - a.getValue().size())
                    .forEach(problem -> {
                        text.append(String.format("  %5d × %s%n", problem.getValue().size(), problem.getKey()));
                        problem.getValue().stream().map(r -> r.probe().method() + " "
                                + Probe.excerpt(pathOf(r.probe().target()), 60) + "  [" + r.probe().label() + "]")
                                .distinct().limit(6).forEach(where -> text.append("          e.g. ").append(where)
                                        .append('\n'));
                    });
        });
        text.append(String.format("%nEvery failed request:%n"));
        String group = null;
        for (Result result : failed) {
            String service = service(result.probe().target());
            if (!service.equals(group)) {
                group = service;
                long count = failed.stream().filter(r -> service(r.probe().target()).equals(service)).count();
                text.append(String.format("%n== %s: %d failed%n", service, count));
            }
            ProbeClient.Answer answer = result.answer();
            text.append("  [").append(result.probe().label()).append("] ").append(result.probe().describe())
                    .append("\n      → ");
            if (answer != null && answer.status() > 0) {
                text.append(answer.status()).append(' ')
                        .append(Probe.excerpt(redacted(answer.text()), 160)).append("\n      → ");
            }
            text.append(String.join("; ", result.problems())).append('\n');
        }
        Path file = Path.of("target", "bad-input-corpus.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        System.out.println(text);
        assertThat(failed.size()).as("requests answered with a server error, a leak, an undocumented error shape or "
                + "a bad input accepted (listed above and in %s)", file.toAbsolutePath()).isZero();
    }

    /**
     * The answer without the secrets an accepted request may have been given: tokens of a grant, an invitation's
     * token, the code of an invitation link.
     */
    private static String redacted(String text) {
        return text.replaceAll("\"(access_token|refresh_token|id_token|token)\"\\s*:\\s*\"[^\"]*\"",
                "\"$1\":\"(removed)\"").replaceAll("([?&]code=)[^&\"\\s]+", "$1(removed)");
    }

    /** A problem without the parts that differ from request to request (quoted text, statuses in parentheses). */
    private static String kind(String problem) {
        String kind = problem;
        for (String cut : List.of(": \"", "redirects away from the exchange: ", "connection failed while sending")) {
            int at = kind.indexOf(cut);
            if (at > 0) {
                kind = kind.substring(0, at + (cut.startsWith(":") ? 0 : cut.length()));
            }
        }
        return kind.replaceAll(" \\([^()]*\\)$", "").replaceAll(" \\(\\d+\\)", "");
    }

    /** The service that answers a path (the gateway's routing table). */
    private static String service(String target) {
        String path = pathOf(target);
        if (path.startsWith("/o/") || path.equals("/o")) {
            return "identity-service (/o)";
        }
        if (path.toLowerCase().startsWith("/fhir") || path.startsWith("/api/v1/observations")) {
            return "fhir-service (/fhir, /api/v1/observations)";
        }
        if (path.startsWith("/api/")) {
            return "admin-service (/api)";
        }
        return "gateway (other paths)";
    }

    private static String pathOf(String target) {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
