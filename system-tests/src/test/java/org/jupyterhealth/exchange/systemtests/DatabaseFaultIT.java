package org.jupyterhealth.exchange.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * PostgreSQL lost in the middle of a stream of uploads, on the whole running system: the systest stack's services
 * reach the database through a relay that {@code ./jhe stop postgres} stops (every open connection dropped, new
 * ones refused) and {@code ./jhe start postgres} starts again; the server itself, shared with everything else on the
 * machine, is never touched. While the database is away an upload is answered 503 at once (an OperationOutcome), or
 * held and stored once it is back (200 after the wait, or 202 with a status to poll). Afterwards every upload that
 * was accepted is stored exactly once, every upload refused with 503 is stored nowhere (its client sends it again),
 * and every service is ready again and serves uploads, searches, admin lists and token grants without a restart.
 */
@Order(45)
@ExtendWith(SystemStack.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseFaultIT {
    /** How quickly a refusal must come: a client must not wait long to learn it should try again later. */
    static final Duration QUICK = Duration.ofSeconds(10);
    static final String[] SERVICES = { "identity-service", "admin-service", "fhir-service", "ingest-service",
            "gateway" };
    static String peter;
    static String pamela;
    static String mary;
    static String maryRefreshToken;

    /** One upload of the stream: who sent it, its identifiers, and its answer. */
    record Upload(String token, String body, List<String> ids, int status, String answer, String statusPath,
            long millis) {
    }

    @BeforeAll
    static void tokens() {
        peter = EndToEndIT.passwordToken("ll_patient_peter@example.com");
        pamela = EndToEndIT.passwordToken("ll_patient_pamela@example.com");
        JsonPath grant = given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "password").formParam("client_id", "jhe-demo")
                .formParam("username", "manager_mary@example.com").formParam("password", "Jhe1234!")
                .formParam("scope", "read write offline_access")
                .when().post("/o/token/")
                .then().statusCode(200).extract().jsonPath();
        mary = grant.getString("access_token");
        maryRefreshToken = grant.getString("refresh_token");
        // the upload decisions must be deployed for any of this to mean something
        Uploads.post(peter, Uploads.heartRates(40001, 1, new ArrayList<>())).then().statusCode(200);
    }

    @Test
    @Order(1)
    void aDatabaseRestartInTheMiddleOfAStreamOfUploadsLosesNothingAndStoresNothingTwice() throws Exception {
        List<Upload> uploads = stream(() -> {
            assertThat(SystemStack.jhe("stop", "postgres")).isZero();
            assertThat(SystemStack.jhe("start", "postgres")).isZero();
        });

        everyServiceRecoversByItself();
        accountFor(uploads);
    }

    @Test
    @Order(2)
    void whileTheDatabaseIsUnreachableUploadsAreRefusedQuicklyAndEveryServiceRecoversOnceItIsBack()
            throws Exception {
        List<Upload> uploads = stream(() -> {
            assertThat(SystemStack.jhe("stop", "postgres")).isZero();
            try {
                sleep(12_000);
            } finally {
                assertThat(SystemStack.jhe("start", "postgres")).isZero();
            }
        });

        everyServiceRecoversByItself();
        accountFor(uploads);
    }

    /**
     * Uploads of 5 heart rates, by Peter and by Pamela side by side, one after another: 6 answered before the fault,
     * then the fault, then until 6 more are answered 200 (at most 90 s).
     */
    private static List<Upload> stream(Runnable fault) throws Exception {
        List<Upload> uploads = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(2);
        for (String token : List.of(peter, pamela)) {
            long patient = token.equals(peter) ? 40001 : 40002;
            clients.submit(() -> {
                while (running.get()) {
                    uploads.add(upload(token, patient));
                    sleep(100);
                }
                return null;
            });
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> accepted(uploads) >= 6);
        fault.run();
        int before = uploads.size();
        // not an assertion: whatever the stream got is accounted for, and recovery is checked, afterwards
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline && accepted(new ArrayList<>(uploads.subList(before, uploads.size()))) < 6) {
            sleep(500);
        }
        running.set(false);
        clients.shutdown();
        assertThat(clients.awaitTermination(90, TimeUnit.SECONDS)).as("the upload stream ended").isTrue();
        return new ArrayList<>(uploads);
    }

    private static long accepted(List<Upload> uploads) {
        synchronized (uploads) {
            return uploads.stream().filter(u -> u.status() == 200).count();
        }
    }

    private static Upload upload(String token, long patient) {
        List<String> ids = new ArrayList<>();
        String body = Uploads.heartRates(patient, 5, ids);
        long started = System.nanoTime();
        try {
            Response response = given()
                    .config(RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                            .setParam("http.socket.timeout", 60_000).setParam("http.connection.timeout", 5_000)))
                    .auth().oauth2(token).contentType(Uploads.FHIR_JSON).body(body)
                    .when().post("/fhir/r5/");
            String location = response.header("Content-Location");
            return new Upload(token, body, ids, response.statusCode(), response.asString(),
                    location == null ? null : location.substring(location.indexOf("/fhir/")), millis(started));
        } catch (RuntimeException e) {
            return new Upload(token, body, ids, 0, "no answer: " + e.getMessage(), null, millis(started));
        }
    }

    /**
     * Every upload was answered in one of the three acceptable ways; the accepted ones are stored exactly once, the
     * refused ones not at all; refused uploads sent again are stored.
     */
    private static void accountFor(List<Upload> uploads) throws Exception {
        List<String> problems = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        List<Upload> refused = new ArrayList<>();
        for (Upload upload : uploads) {
            switch (upload.status()) {
                case 200 -> {
                    List<String> statuses = JsonPath.from(upload.answer()).getList("entry.response.status");
                    if (statuses.equals(Collections.nCopies(5, "201 Created"))) {
                        accepted.addAll(upload.ids());
                    } else {
                        String why = JsonPath.from(upload.answer())
                                .getString("entry[0].response.outcome.issue[0].diagnostics");
                        problems.add(describe(upload, "entries " + statuses + " (" + why + ")"));
                    }
                }
                case 202 -> {
                    String token = upload.token();
                    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                            given().auth().oauth2(token).when().get(upload.statusPath()).statusCode() == 200);
                    List<String> statuses = given().auth().oauth2(token).when().get(upload.statusPath())
                            .then().extract().jsonPath().getList("entry.response.status");
                    if (statuses.equals(Collections.nCopies(5, "201 Created"))) {
                        accepted.addAll(upload.ids());
                    } else {
                        problems.add(describe(upload, "held, then entries " + statuses));
                    }
                }
                case 503 -> {
                    JsonPath outcome = JsonPath.from(upload.answer());
                    if (!"OperationOutcome".equals(outcome.getString("resourceType"))
                            || !"transient".equals(outcome.getString("issue[0].code"))) {
                        problems.add(describe(upload, "503 without a transient OperationOutcome"));
                    } else if (upload.millis() > QUICK.toMillis()) {
                        problems.add(describe(upload, "refused, but only after " + upload.millis() + " ms"));
                    } else {
                        refused.add(upload);
                    }
                }
                default -> problems.add(describe(upload, "neither accepted, held nor refused with 503"));
            }
        }
        assertThat(problems).as("uploads answered otherwise than 200, 202 or a quick 503 (of %d)", uploads.size())
                .isEmpty();
        assertThat(Uploads.storedIdentifiers(accepted)).as("every accepted entry stored once")
                .containsExactly((long) accepted.size(), (long) accepted.size());
        List<String> refusedIds = refused.stream().flatMap(u -> u.ids().stream()).toList();
        if (!refusedIds.isEmpty()) {
            assertThat(Uploads.storedIdentifiers(refusedIds)[0]).as("entries of uploads refused with 503 are "
                    + "not stored").isZero();
            // the clients send their refused uploads again, as they are told to
            for (Upload upload : refused) {
                Uploads.post(upload.token(), upload.body()).then().statusCode(200)
                        .body("entry.response.status", equalTo(Collections.nCopies(5, "201 Created")));
            }
            assertThat(Uploads.storedIdentifiers(refusedIds)).as("refused uploads sent again, stored once")
                    .containsExactly((long) refusedIds.size(), (long) refusedIds.size());
        }
    }

    /** Every service is ready again; uploads, searches, admin lists and both token grants work. */
    private static void everyServiceRecoversByItself() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(notReady()).as("services not ready").isEmpty());

        List<String> ids = new ArrayList<>();
        Uploads.post(peter, Uploads.heartRates(40001, 3, ids)).then().statusCode(200)
                .body("entry.response.status", equalTo(Collections.nCopies(3, "201 Created")));
        given().auth().oauth2(peter)
                .when().get("/fhir/r5/Observation?identifier=https://commonhealth.org|" + ids.get(0))
                .then().statusCode(200).body("total", equalTo(1));
        given().auth().oauth2(mary)
                .when().get("/api/v1/patients?organization_id=20003")
                .then().statusCode(200).body("count", greaterThanOrEqualTo(2));
        EndToEndIT.passwordToken("member_megan@example.com");
        maryRefreshToken = given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("client_id", "jhe-demo")
                .formParam("refresh_token", maryRefreshToken)
                .when().post("/o/token/")
                .then().statusCode(200).extract().path("refresh_token");
    }

    /** The services {@code ./jhe status} does not show as ready. */
    private static List<String> notReady() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(SystemStack.ROOT.resolve("jhe").toString(), "status", "--stack",
                SystemStack.STACK).directory(SystemStack.ROOT.toFile()).redirectErrorStream(true).start();
        String status = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        List<String> missing = new ArrayList<>();
        for (String service : SERVICES) {
            if (!status.lines().anyMatch(line -> line.startsWith(service + " ") && line.matches(".*\\bready\\b.*"))) {
                missing.add(service);
            }
        }
        return missing;
    }

    private static String describe(Upload upload, String what) {
        String answer = upload.answer().length() > 200 ? upload.answer().substring(0, 200) + "…" : upload.answer();
        return what + ": " + upload.status() + " after " + upload.millis() + " ms " + answer;
    }

    private static long millis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
