package org.jupyterhealth.exchange.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The upload path under faults, on the whole running system: two replicas of fhir-service and ingest-service,
 * ingest-service killed in the middle of a stream of uploads and restarted, the Kafka broker stopped and started.
 * Every accepted entry is stored exactly once; an upload that cannot be accepted is answered 503 at once, and so
 * is a read whose audit event the broker cannot take.
 * Needs the upload decisions of admin-service (skipped on a stack without them).
 */
@Order(40)
@ExtendWith(SystemStack.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UploadFaultIT {
    static final int FHIR_PORT = SystemStack.FHIR_PORT;
    static final int FHIR_REPLICA_PORT = FHIR_PORT + 10;
    static String peter;
    static String pamela;

    @BeforeAll
    static void tokens() {
        peter = EndToEndIT.passwordToken("ll_patient_peter@example.com");
        pamela = EndToEndIT.passwordToken("ll_patient_pamela@example.com");
        // the upload decisions must be deployed for any of this to mean something
        Uploads.post(peter, Uploads.heartRates(40001, 1, new ArrayList<>())).then().statusCode(200);
    }

    /** A synchronous upload straight to one fhir-service instance (the gateway routes to the first only). */
    static Response uploadTo(int port, String token, String body) {
        return given().baseUri("http://127.0.0.1").port(port).auth().oauth2(token)
                .contentType(Uploads.FHIR_JSON).body(body).when().post("/fhir/r5/");
    }

    @Test
    @Order(1)
    void twoReplicasOfEachServiceAnswerEveryUploadOnceWhicheverReplicaTookIt() throws Exception {
        assertThat(SystemStack.jhe("replica", "ingest-service", "1")).isZero();
        assertThat(SystemStack.jhe("replica", "fhir-service", "1")).isZero();
        try {
            ExecutorService clients = Executors.newFixedThreadPool(4);
            List<Future<List<String>>> uploads = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                int port = i % 2 == 0 ? FHIR_PORT : FHIR_REPLICA_PORT;
                boolean byPamela = i % 3 == 0;
                String token = byPamela ? pamela : peter;
                long patient = byPamela ? 40002 : 40001;
                uploads.add(clients.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    uploadTo(port, token, Uploads.heartRates(patient, 5, ids))
                            .then().statusCode(200)
                            .body("entry.response.status", equalTo(Collections.nCopies(5, "201 Created")));
                    return ids;
                }));
            }
            List<String> identifiers = new ArrayList<>();
            for (Future<List<String>> upload : uploads) {
                identifiers.addAll(upload.get());
            }
            clients.shutdown();

            assertThat(Uploads.storedIdentifiers(identifiers)).containsExactly(120L, 120L);
        } finally {
            SystemStack.jhe("stop", "fhir-service-1");
            SystemStack.jhe("stop", "ingest-service-1");
        }
    }

    @Test
    @Order(2)
    void ingestServiceKilledInTheMiddleOfAStreamAndRestartedStoresEveryAcceptedEntryExactlyOnce() throws Exception {
        List<String> statusPaths = Collections.synchronizedList(new ArrayList<>());
        List<String> identifiers = Collections.synchronizedList(new ArrayList<>());
        ExecutorService client = Executors.newSingleThreadExecutor();
        Future<?> stream = client.submit(() -> {
            for (int i = 0; i < 60; i++) {
                List<String> ids = new ArrayList<>();
                Response accepted = Uploads.post(i % 2 == 0 ? peter : pamela, "/fhir/r5",
                        Uploads.heartRates(i % 2 == 0 ? 40001 : 40002, 10, ids), Map.of("Prefer", "respond-async"));
                accepted.then().statusCode(202);
                identifiers.addAll(ids);
                statusPaths.add(accepted.header("Content-Location").substring(SystemStack.BASE_URL.length()));
                sleep(40);
            }
            return null;
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> statusPaths.size() >= 15);

        assertThat(SystemStack.jhe("kill", "ingest-service")).isZero();
        sleep(2000);
        assertThat(SystemStack.jhe("start", "ingest-service")).isZero();
        stream.get();
        client.shutdown();

        List<UUID> uploadIds = new ArrayList<>();
        for (String path : statusPaths) {
            uploadIds.add(UUID.fromString(path.substring(path.lastIndexOf('/') + 1)));
            String token = statusPaths.indexOf(path) % 2 == 0 ? peter : pamela;
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> given().auth().oauth2(token).when().get(path).statusCode() == 200);
            JsonPath outcome = given().auth().oauth2(token).when().get(path).then().statusCode(200)
                    .extract().jsonPath();
            assertThat(outcome.getList("entry.response.status", String.class))
                    .as("every entry of %s accepted", path).containsOnly("201 Created").hasSize(10);
        }
        assertThat(Uploads.storedIdentifiers(identifiers)).as("600 entries, each stored once")
                .containsExactly(600L, 600L);
        assertThat(Uploads.storedFromUploads(uploadIds)).isEqualTo(600L);
    }

    @Test
    @Order(3)
    void withTheBrokerStoppedUploadsAre503AtOnceAndSucceedAgainOnceItIsBack() throws Exception {
        String read = "/fhir/r5/Observation?patient=40001&_count=1";
        given().auth().oauth2(peter).when().get(read).then().statusCode(200);
        assertThat(SystemStack.jhe("stop", "kafka")).isZero();
        List<String> refusedIds = new ArrayList<>();
        try {
            // reads do not wait for their audit event while the broker takes events; once it is gone they are
            // refused within seconds rather than served unaudited
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                    .until(() -> given().auth().oauth2(peter).when().get(read).statusCode() == 503);
            given().auth().oauth2(peter).when().get(read).then().statusCode(503)
                    .body("resourceType", equalTo("OperationOutcome"));
            for (int i = 0; i < 3; i++) {
                long started = System.nanoTime();
                given().auth().oauth2(peter).contentType(Uploads.FHIR_JSON)
                        .body(Uploads.heartRates(40001, 2, refusedIds))
                        .when().post("/fhir/r5/")
                        .then().statusCode(503)
                        .body("resourceType", equalTo("OperationOutcome"))
                        .body("issue[0].code", equalTo("transient"));
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            }
        } finally {
            assertThat(SystemStack.jhe("start", "kafka")).isZero();
        }

        List<String> ids = new ArrayList<>();
        String body = Uploads.heartRates(40001, 3, ids);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2))
                .until(() -> uploadTo(FHIR_PORT, peter, body).statusCode() != 503);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> given().auth().oauth2(peter).when().get(read).statusCode() == 200);
        // the upload that got through was stored once; a repeat is recognised
        Response again = uploadTo(FHIR_PORT, peter, body);
        again.then().statusCode(200);
        assertThat(Uploads.storedIdentifiers(ids)).containsExactly(3L, 3L);
        assertThat(Uploads.storedIdentifiers(refusedIds)[0]).as("uploads answered 503 were not accepted").isZero();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
