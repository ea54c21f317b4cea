package org.jupyterhealth.exchange.fhir.export;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r5.model.Observation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.audit.AuditEvent;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.common.testing.TestAuditEvents;
import org.jupyterhealth.exchange.common.testing.TestTokens;
import org.jupyterhealth.exchange.fhir.support.FakeAdmin;
import org.jupyterhealth.exchange.fhir.support.ObservationStore;
import org.jupyterhealth.exchange.fhir.support.Personas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.DecoderConfig;
import io.restassured.response.Response;

/**
 * Bulk export end to end, over the observation store as ingest-service writes it and the stand-in admin-service's
 * access rules: kick-off variants and refusals, what each requester gets (only what it may read, decided at
 * kick-off), the job's status, manifest, files, cancel and expiry, who may not see a job, and a job taken over after
 * its worker stopped. Every file line is parsed as an R5 resource with HAPI FHIR.
 */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(FakeAdmin.class)
@QuarkusTestResource(ObservationStore.class)
class ExportResourceTest {
    static final String ORIGIN = "https://fhir.test.example";
    static final String ASYNC = "respond-async";
    static final FhirContext R5 = FhirContext.forR5Cached();
    static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "jhe.fhir.admin-url")
    String adminUrl;

    @ConfigProperty(name = "jhe.fhir.export.dir")
    String exportDir;

    @Inject
    ExportPacer pacer;

    @Inject
    InteractiveLoad interactive;

    /** The store resources a test wrote, removed after it (other test classes read the same store). */
    static final List<String> STORED = new ArrayList<>();

    @AfterEach
    void reset() throws SQLException {
        Personas.control(adminUrl, "reset");
        sql("DELETE FROM fhir.export_job");
        for (String id : STORED) {
            sql("DELETE FROM ingest.fhir_resource WHERE id = '" + id + "'");
        }
        STORED.clear();
    }

    @Test
    void practitionerExportsOnlyTheConsentedScopesOfAStudysPatients() {
        // study 30002 requests blood pressure and QuestionnaireResponses: 40002 consented to both, 40001 to none
        String mine = storeResource(40002, "QuestionnaireResponse");
        String notConsented = storeResource(40001, "QuestionnaireResponse");

        String status = kickOff(Personas.mary(), "/fhir/r5/Group/30002/$export");
        JsonNode manifest = manifest(Personas.mary(), status);

        assertThat(manifest.get("requiresAccessToken").asBoolean()).isTrue();
        assertThat(manifest.get("request").asText()).startsWith(ORIGIN + "/fhir/r5/Group/30002/").endsWith("export");
        assertThat(manifest.get("transactionTime").asText()).isNotBlank();
        assertThat(manifest.get("error")).isEmpty();
        Map<String, List<IBaseResource>> files = download(Personas.mary(), manifest);
        assertThat(ids(files.get("Observation"))).containsExactlyInAnyOrder("60003", "60005");
        assertThat(ids(files.get("Patient"))).containsExactlyInAnyOrder("40001", "40002");
        assertThat(ids(files.get("QuestionnaireResponse"))).containsExactly(mine).doesNotContain(notConsented);
        // the Open mHealth data point travels as stored, in the attachment
        Observation observation = (Observation) files.get("Observation").get(0);
        JsonNode omh = readJson(observation.getValueAttachment().getData());
        assertThat(omh.path("body").path("systolic_blood_pressure").path("value").asInt()).isEqualTo(115);
        assertThat(manifest.path("extension").path("patients").toString()).contains("Patient/40002");
    }

    @Test
    void patientExportsItsOwnDataOnly() {
        String status = kickOff(Personas.peter(), "/fhir/r5/Patient/$export");
        Map<String, List<IBaseResource>> files = download(Personas.peter(), manifest(Personas.peter(), status));

        assertThat(ids(files.get("Patient"))).containsExactly("40001");
        assertThat(ids(files.get("Observation"))).containsExactlyInAnyOrder("60001", "60002");
    }

    @Test
    void consentRevokedBeforeKickOffIsExcluded() {
        Personas.control(adminUrl, "revoke?patient=40002&study=30002&code=" + FakeAdmin.BP);

        String status = kickOff(Personas.mary(), "/fhir/r5/Group/30002/$export?_type=Observation");
        JsonNode manifest = manifest(Personas.mary(), status);

        assertThat(manifest.get("output")).isEmpty();
    }

    @Test
    void typeFilterKeepsTheCodesAskedFor() {
        Response plain = given().auth().oauth2(Personas.mary()).header("Prefer", ASYNC)
                .queryParam("_type", "Observation")
                .queryParam("_typeFilter", "Observation?code=" + FakeAdmin.OMH + "|" + FakeAdmin.HR)
                .when().get("/fhir/r5/Group/30001/$export");
        // the filter's own query escaped once more, as the specification asks clients to
        Response escaped = given().auth().oauth2(Personas.mary()).header("Prefer", ASYNC)
                .queryParam("_type", "Observation")
                .queryParam("_typeFilter", "Observation%3Fcode%3D" + FakeAdmin.OMH.replace(":", "%3A")
                        .replace("/", "%2F") + "%7C" + FakeAdmin.BP)
                .when().get("/fhir/r5/Group/30001/$export");
        assertThat(plain.statusCode()).as(plain.asString()).isEqualTo(202);
        assertThat(escaped.statusCode()).as(escaped.asString()).isEqualTo(202);

        Map<String, List<IBaseResource>> heartRates = download(Personas.mary(),
                manifest(Personas.mary(), plain.header("Content-Location")));
        Map<String, List<IBaseResource>> pressures = download(Personas.mary(),
                manifest(Personas.mary(), escaped.header("Content-Location")));

        assertThat(heartRates.keySet()).containsExactly("Observation");
        assertThat(ids(heartRates.get("Observation"))).containsExactlyInAnyOrder("60002", "60004");
        assertThat(ids(pressures.get("Observation"))).containsExactlyInAnyOrder("60001", "60003", "60005");
    }

    @Test
    void sinceLeavesOutOlderDataAndLargeTypesAreSplitIntoFiles() throws InterruptedException {
        for (int i = 0; i < 12; i++) {
            ObservationStore.insert(40010, FakeAdmin.HR);
        }
        Thread.sleep(20);
        String since = Instant.now().toString();
        Thread.sleep(20);
        long newer = ObservationStore.insert(40010, FakeAdmin.HR);
        try {
            JsonNode all = manifest(Personas.paige(), kickOff(Personas.paige(),
                    "/fhir/r5/Group/30006/$export?_type=Observation"));
            JsonNode recent = manifest(Personas.paige(), kickOff(Personas.paige(),
                    "/fhir/r5/Group/30006/$export?_type=Observation&_since=" + since));

            // files are split at 4 KiB in the tests: 13 observations take several
            assertThat(all.get("output").size()).isGreaterThan(1);
            Map<String, List<IBaseResource>> files = download(Personas.paige(), all);
            assertThat(files.get("Observation")).hasSize(13);
            long counted = 0;
            for (JsonNode output : all.get("output")) {
                counted += output.get("count").asLong();
            }
            assertThat(counted).isEqualTo(13);
            assertThat(ids(download(Personas.paige(), recent).get("Observation")))
                    .containsExactly(Long.toString(newer));
        } finally {
            ObservationStore.deletePatient(40010);
        }
    }

    @Test
    void identifiersAreExportedInTheOrderASearchGivesThem() throws SQLException {
        // stored out of order: the export's statement aggregates them as they come, its mapping puts them in order
        long id = ObservationStore.insert(40010, FakeAdmin.HR, null, null, "final", "https://b.example", "1");
        sql("INSERT INTO ingest.observation_identifier (observation_id, system, value) VALUES (" + id
                + ", 'https://a.example', '2'), (" + id + ", 'https://a.example', '10')");
        try {
            Map<String, List<IBaseResource>> files = download(Personas.paige(), manifest(Personas.paige(),
                    kickOff(Personas.paige(), "/fhir/r5/Group/30006/$export?_type=Observation")));
            JsonNode searched = readJson(given().auth().oauth2(Personas.paige())
                    .when().get("/fhir/r5/Observation?patient=40010")
                    .then().statusCode(200).extract().asByteArray());

            Observation exported = (Observation) files.get("Observation").get(0);
            List<String> identifiers = exported.getIdentifier().stream()
                    .map(i -> i.getSystem() + "|" + i.getValue()).toList();
            assertThat(identifiers).containsExactly("https://a.example|10", "https://a.example|2",
                    "https://b.example|1");
            List<String> inSearch = new ArrayList<>();
            searched.path("entry").get(0).path("resource").path("identifier")
                    .forEach(i -> inSearch.add(i.path("system").asText() + "|" + i.path("value").asText()));
            assertThat(inSearch).isEqualTo(identifiers);
        } finally {
            ObservationStore.deletePatient(40010);
        }
    }

    @Test
    void postWithParametersNamesPatientsAndTypes() {
        String body = """
                {"resourceType": "Parameters", "parameter": [
                  {"name": "_type", "valueString": "Observation"},
                  {"name": "_outputFormat", "valueString": "application/fhir+ndjson"},
                  {"name": "patient", "valueReference": {"reference": "Patient/40002"}}]}""";
        Response kicked = given().auth().oauth2(Personas.mary()).header("Prefer", ASYNC)
                .contentType("application/fhir+json").body(body)
                .when().post("/fhir/r5/Group/30001/$export");
        assertThat(kicked.statusCode()).isEqualTo(202);

        Map<String, List<IBaseResource>> files = download(Personas.mary(),
                manifest(Personas.mary(), kicked.header("Content-Location")));

        assertThat(ids(files.get("Observation"))).containsExactlyInAnyOrder("60003", "60004", "60005");
    }

    @Test
    void kickOffRefusals() {
        assertOutcome(given().auth().oauth2(Personas.mary()).when().get("/fhir/r5/Group/30001/$export"), 400,
                "respond-async");
        assertOutcome(prefer(Personas.mary(), ASYNC).get("/fhir/r5/Group/30001/$export?_type=Banana"), 400, "Banana");
        assertOutcome(prefer(Personas.mary(), ASYNC).get("/fhir/r5/Group/30001/$export?_elements=id"), 400,
                "_elements");
        assertOutcome(prefer(Personas.mary(), ASYNC).get("/fhir/r5/Group/30001/$export?_since=yesterday"), 400,
                "_since");
        assertOutcome(prefer(Personas.mary(), ASYNC).get("/fhir/r5/Group/30001/$export?_outputFormat=text/csv"), 400,
                "_outputFormat");
        assertOutcome(prefer(Personas.mary(), ASYNC)
                .get("/fhir/r5/Group/30001/$export?_typeFilter=Patient%3Fname%3Dx"), 400, "_typeFilter");
        assertOutcome(given().urlEncodingEnabled(false).auth().oauth2(Personas.mary()).header("Prefer", ASYNC)
                .when().get("/fhir/r5/Group/30001/$export?_type=%01"), 400, "control");
        // a study of an organization the practitioner is not a member of; the whole exchange, not a superuser
        assertOutcome(prefer(Personas.mark(), ASYNC).get("/fhir/r5/Group/30001/$export"), 403, "");
        assertOutcome(prefer(Personas.mary(), ASYNC).get("/fhir/r5/$export"), 403, "superuser");
        assertOutcome(prefer(Personas.mary(), ASYNC).get("/fhir/r5/Group/abc/$export"), 404, "");
    }

    @Test
    void lenientHandlingIgnoresWhatIsNotSupportedAndSaysSo() {
        Response kicked = prefer(Personas.mary(), "respond-async, handling=lenient")
                .get("/fhir/r5/Group/30001/$export?_type=Observation,Banana&_elements=id");
        assertThat(kicked.statusCode()).isEqualTo(202);

        JsonNode manifest = manifest(Personas.mary(), kicked.header("Content-Location"));

        assertThat(manifest.get("output")).isNotEmpty();
        assertThat(manifest.get("error")).hasSize(1);
        String outcome = given().auth().oauth2(Personas.mary()).when().get(path(manifest.get("error").get(0)
                .get("url").asText())).then().statusCode(200).extract().asString();
        assertThat(outcome).contains("Banana").contains("_elements").contains("OperationOutcome");
    }

    @Test
    void superuserMayExportTheExchangeAndTheEncodedOperationNameWorks() {
        Response kicked = given().urlEncodingEnabled(false).auth().oauth2(Personas.admin()).header("Prefer", ASYNC)
                .when().get("/fhir/r5/%24export");

        assertThat(kicked.statusCode()).isEqualTo(202);
        assertThat(kicked.header("Content-Location")).startsWith(ORIGIN + "/fhir/r5/_export/");
        manifest(Personas.admin(), kicked.header("Content-Location"));
    }

    @Test
    void anotherUserCannotSeeCancelOrDownloadAJob() {
        String status = kickOff(Personas.mary(), "/fhir/r5/Group/30001/$export?_type=Patient");
        JsonNode manifest = manifest(Personas.mary(), status);
        String file = path(manifest.get("output").get(0).get("url").asText());

        given().auth().oauth2(Personas.megan()).when().get(path(status)).then().statusCode(404);
        given().auth().oauth2(Personas.megan()).when().get(file).then().statusCode(404);
        given().auth().oauth2(Personas.megan()).when().delete(path(status)).then().statusCode(404);
        given().auth().oauth2(Personas.peter()).when().get(file).then().statusCode(404);
        // a superuser administers every job
        given().auth().oauth2(Personas.admin()).when().get(path(status)).then().statusCode(200);
        given().auth().oauth2(Personas.mary()).when().get(file).then().statusCode(200);
    }

    @Test
    void aMissingOrExpiredTokenIs401() {
        String status = kickOff(Personas.mary(), "/fhir/r5/Group/30001/$export?_type=Patient");
        String file = path(manifest(Personas.mary(), status).get("output").get(0).get("url").asText());

        given().when().get(path(status)).then().statusCode(401);
        given().when().get(file).then().statusCode(401);
        given().auth().oauth2(TestTokens.expired()).when().get(file).then().statusCode(401);
        given().auth().oauth2(TestTokens.expired()).header("Prefer", ASYNC).when()
                .get("/fhir/r5/Group/30001/$export").then().statusCode(401);
        given().header("Prefer", ASYNC).when().get("/fhir/r5/Patient/$export").then().statusCode(401);
    }

    @Test
    void filesAreServedAsNdjsonCompressedWhenAccepted() {
        String status = kickOff(Personas.mary(), "/fhir/r5/Group/30001/$export?_type=Patient");
        String file = path(manifest(Personas.mary(), status).get("output").get(0).get("url").asText());

        Response gzip = given().auth().oauth2(Personas.mary()).header("Accept-Encoding", "gzip").when().get(file);
        Response plain = given().config(RestAssured.config().decoderConfig(DecoderConfig.decoderConfig()
                .noContentDecoders())).auth().oauth2(Personas.mary()).when().get(file);

        assertThat(gzip.statusCode()).isEqualTo(200);
        assertThat(gzip.contentType()).startsWith("application/fhir+ndjson");
        assertThat(gzip.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(plain.header("Content-Encoding")).isNull();
        assertThat(gzip.asString()).isEqualTo(plain.asString());
    }

    @Test
    void cancelRemovesTheJobAndItsFiles() {
        String status = kickOff(Personas.mary(), "/fhir/r5/Group/30001/$export");
        manifest(Personas.mary(), status);
        Path folder = Path.of(exportDir, jobId(status));
        assertThat(folder).isDirectory();

        given().auth().oauth2(Personas.mary()).when().delete(path(status)).then().statusCode(202);

        given().auth().oauth2(Personas.mary()).when().get(path(status)).then().statusCode(404);
        assertThat(folder).doesNotExist();
    }

    @Test
    void expiredJobsAreGoneWithTheirFiles() throws SQLException {
        String status = kickOff(Personas.mary(), "/fhir/r5/Group/30001/$export");
        manifest(Personas.mary(), status);
        Path folder = Path.of(exportDir, jobId(status));

        sql("UPDATE fhir.export_job SET expires_at = clock_timestamp() - interval '1 second' WHERE id = '"
                + jobId(status) + "'");

        given().auth().oauth2(Personas.mary()).when().get(path(status)).then().statusCode(404);
        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(folder));
    }

    @Test
    void aJobWhoseWorkerStoppedIsTakenOverAndRedone() throws Exception {
        String status = kickOff(Personas.mary(), "/fhir/r5/Group/30001/$export");
        JsonNode first = manifest(Personas.mary(), status);
        String id = jobId(status);
        Path leftOver = Path.of(exportDir, id, "Observation-9.ndjson");
        // as a replica that crashed half-way leaves it: running, its lease run out, a partial file on the volume
        sql("DELETE FROM fhir.export_file WHERE job_id = '" + id + "'");
        Files.writeString(leftOver, "{\"partial\":");
        sql("UPDATE fhir.export_job SET status = 'running', lease_owner = 'fhir-service-gone', written = 3, "
                + "lease_until = clock_timestamp() - interval '1 minute' WHERE id = '" + id + "'");

        JsonNode redone = manifest(Personas.mary(), status);

        assertThat(redone.get("output")).isEqualTo(first.get("output"));
        assertThat(redone.get("transactionTime")).isEqualTo(first.get("transactionTime"));
        assertThat(leftOver).doesNotExist();
        download(Personas.mary(), redone);
    }

    @Test
    void aUserBeyondItsConcurrentJobsIsRefusedWith429AndRunningJobsReportProgress() throws SQLException {
        // two jobs of Tom held by a worker elsewhere
        String held = UUID.randomUUID().toString();
        for (String id : List.of(held, UUID.randomUUID().toString())) {
            sql("INSERT INTO fhir.export_job (id, requester_user_id, request_url, spec, status, transaction_time, "
                    + "expires_at, lease_owner, lease_until, estimated, written) VALUES ('" + id + "', 10005, "
                    + "'x', '{\"level\":\"patient\",\"types\":[],\"observations\":[],\"patients\":[],\"store\":{}}', "
                    + "'running', now(), now() + interval '1 hour', 'elsewhere', now() + interval '1 hour', 200, 50)");
        }

        Response refused = prefer(Personas.tom(), ASYNC).get("/fhir/r5/Patient/$export");
        Response running = given().auth().oauth2(Personas.tom()).when().get("/fhir/r5/_export/" + held);

        assertOutcome(refused, 429, "At most 2");
        assertThat(refused.header("Retry-After")).isNotBlank();
        assertThat(running.statusCode()).isEqualTo(202);
        assertThat(running.header("X-Progress")).startsWith("25%");
        assertThat(running.header("Retry-After")).isEqualTo("1");
    }

    @Test
    void withPartialManifestsTheFilesFinishedSoFarAreListedAndServedWhileTheJobRuns() throws Exception {
        // two running jobs of Mary held by a worker elsewhere, each with one finished file: one kicked off with
        // allowPartialManifests, one without
        String partial = UUID.randomUUID().toString();
        String plain = UUID.randomUUID().toString();
        for (String id : List.of(partial, plain)) {
            String flag = id.equals(partial) ? ",\"partialManifests\":true" : "";
            sql("INSERT INTO fhir.export_job (id, requester_user_id, request_url, spec, status, transaction_time, "
                    + "expires_at, lease_owner, lease_until, estimated, written) VALUES ('" + id + "', 10002, "
                    + "'x', '{\"level\":\"group\",\"types\":[\"Observation\"],\"observations\":[],"
                    + "\"patients\":[],\"store\":{}" + flag + "}', 'running', now(), now() + interval '1 hour', "
                    + "'elsewhere', now() + interval '1 hour', 10, 5)");
            sql("INSERT INTO fhir.export_file (job_id, seq, name, resource_type, kind, resources, bytes) VALUES ('"
                    + id + "', 1, 'Observation-1.ndjson', 'Observation', 'output', 1, 40)");
            Path folder = Files.createDirectories(Path.of(exportDir, id));
            Files.writeString(folder.resolve("Observation-1.ndjson"),
                    "{\"resourceType\":\"Observation\",\"id\":\"1\",\"status\":\"final\"}\n");
        }

        Response listed = given().auth().oauth2(Personas.mary()).when().get("/fhir/r5/_export/" + partial);
        Response bare = given().auth().oauth2(Personas.mary()).when().get("/fhir/r5/_export/" + plain);

        // still running (202, its progress), and the manifest of what is done so far
        assertThat(listed.statusCode()).isEqualTo(202);
        assertThat(listed.header("X-Progress")).startsWith("50%");
        assertThat(listed.header("Retry-After")).isEqualTo("1");
        JsonNode manifest = readJson(listed.asByteArray());
        assertThat(manifest.get("requiresAccessToken").asBoolean()).isTrue();
        assertThat(manifest.get("output")).hasSize(1);
        assertThat(manifest.get("output").get(0).get("count").asInt()).isEqualTo(1);
        String url = path(manifest.get("output").get(0).get("url").asText());
        assertThat(url).isEqualTo("/fhir/r5/_export/" + partial + "/Observation-1.ndjson");
        Response file = given().auth().oauth2(Personas.mary()).when().get(url);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(R5.newJsonParser().parseResource(file.asString().trim()).fhirType()).isEqualTo("Observation");
        // without allowPartialManifests: Bulk Data 2.0's 202 without a body, and no file before the manifest
        assertThat(bare.statusCode()).isEqualTo(202);
        assertThat(bare.asString()).isEmpty();
        given().auth().oauth2(Personas.mary()).when().get("/fhir/r5/_export/" + plain + "/Observation-1.ndjson")
                .then().statusCode(404);
        // someone else still sees nothing of it
        given().auth().oauth2(Personas.paige()).when().get(url).then().statusCode(404);
        given().auth().oauth2(Personas.paige()).when().get("/fhir/r5/_export/" + partial).then().statusCode(404);
    }

    @Test
    void theFirstFileOfATypeIsSmallSoThatItIsListedEarly() {
        for (int i = 0; i < 12; i++) {
            ObservationStore.insert(40010, FakeAdmin.HR);
        }
        try {
            String status = kickOff(Personas.paige(),
                    "/fhir/r5/Group/30006/$export?_type=Observation&allowPartialManifests=true");
            JsonNode manifest = manifest(Personas.paige(), status);

            // the tests close a type's first file at 5 resources, the next ones at 4 KiB
            JsonNode output = manifest.get("output");
            assertThat(output.get(0).get("url").asText()).endsWith("/Observation-1.ndjson");
            assertThat(output.get(0).get("count").asInt()).isEqualTo(5);
            assertThat(output.size()).isGreaterThan(1);
            assertThat(download(Personas.paige(), manifest).get("Observation")).hasSize(12);
        } finally {
            ObservationStore.deletePatient(40010);
        }
    }

    @Test
    void anExportGivesWayWhileInteractiveRequestsAreInFlightAndStillFinishes() {
        for (int i = 0; i < 12; i++) {
            ObservationStore.insert(40010, FakeAdmin.HR);
        }
        // three interactive requests in flight for as long as the export runs (as the router counts them)
        for (int i = 0; i < 3; i++) {
            interactive.begin();
        }
        try {
            ExportPacer.Decisions before = pacer.decisions();
            String status = kickOff(Personas.paige(), "/fhir/r5/Group/30006/$export?_type=Observation");
            JsonNode manifest = manifest(Personas.paige(), status);
            ExportPacer.Decisions after = pacer.decisions();

            // a first fetch of 5 rows (the first file), then the other 7 in paced chunks of 2 (the tests' setting)
            // rather than in one fetch read ahead
            assertThat(after.paced() - before.paced()).isGreaterThanOrEqualTo(4);
            assertThat(after.flatOut() - before.flatOut()).isZero();
            assertThat(download(Personas.paige(), manifest).get("Observation")).hasSize(12);
        } finally {
            for (int i = 0; i < 3; i++) {
                interactive.end();
            }
            ObservationStore.deletePatient(40010);
        }
    }

    @Test
    void searchesCountAsInteractiveLoadAndTheExportsOwnRequestsDoNot() {
        long before = interactive.seen();
        given().auth().oauth2(Personas.mary()).when().get("/fhir/r5/Observation?patient=40002");
        long afterSearch = interactive.seen();
        given().auth().oauth2(Personas.mary()).when().get("/fhir/r5/_export/" + UUID.randomUUID()).then()
                .statusCode(404);
        given().auth().oauth2(Personas.mary()).header("Prefer", ASYNC).when()
                .get("/fhir/r5/Group/30002/$export?_type=Patient").then().statusCode(202);

        assertThat(afterSearch - before).isEqualTo(1);
        assertThat(interactive.seen()).isEqualTo(afterSearch);
    }

    @Test
    void allowPartialManifestsIsTrueOrFalse() {
        assertOutcome(prefer(Personas.mary(), ASYNC).get("/fhir/r5/Group/30001/$export?allowPartialManifests=yes"),
                400, "allowPartialManifests");
    }

    @Test
    void theKickOffAndEachDownloadAreAuditedWithTheJobAndWhoseDataItHolds() {
        try (TestAuditEvents events = new TestAuditEvents()) {
            String kickRequest = TestAuditEvents.requestId();
            Response kicked = given().auth().oauth2(Personas.mary()).header("Prefer", ASYNC)
                    .header("X-Request-Id", kickRequest).when().get("/fhir/r5/Group/30002/$export?_type=Observation");
            assertThat(kicked.statusCode()).isEqualTo(202);
            String status = kicked.header("Content-Location");
            JsonNode output = manifest(Personas.mary(), status).get("output").get(0);
            String downloadRequest = TestAuditEvents.requestId();
            String text = given().auth().oauth2(Personas.mary()).header("X-Request-Id", downloadRequest).when()
                    .get(path(output.get("url").asText())).then().statusCode(200).extract().asString();

            List<TestAuditEvents.Produced> kick = events.of(kickRequest);
            assertThat(kick).hasSize(1);
            AuditEvent kickOff = kick.get(0).event();
            assertThat(kickOff.action()).isEqualTo("export");
            assertThat(kickOff.outcome()).isEqualTo("success");
            assertThat(kickOff.status()).isEqualTo(202);
            assertThat(kickOff.userId()).isEqualTo(10002L);
            assertThat(kickOff.resourceType()).isEqualTo("Group");
            assertThat(kickOff.resourceIds()).containsExactly("30002", jobId(status));
            // whose data the export may hold: the study's patients that consented (40002), decided at kick-off
            assertThat(kickOff.patientIds()).contains(40002L).doesNotContain(40010L);

            List<TestAuditEvents.Produced> fetched = events.of(downloadRequest);
            assertThat(fetched).hasSize(1);
            AuditEvent download = fetched.get(0).event();
            assertThat(download.action()).isEqualTo("export");
            assertThat(download.status()).isEqualTo(200);
            assertThat(download.resourceType()).isEqualTo("Observation");
            assertThat(download.resourceIds()).containsExactly(jobId(status) + "/Observation-1.ndjson");
            assertThat(download.count()).isEqualTo(output.get("count").asInt());
            assertThat(download.patientIds()).isEqualTo(kickOff.patientIds());
            // never the data nor the token
            assertThat(fetched.get(0).value()).doesNotContain("systolic").doesNotContain(Personas.mary())
                    .doesNotContain(text.substring(0, Math.min(40, text.length())));
        }
    }

    // --- helpers

    static io.restassured.specification.RequestSpecification prefer(String token, String prefer) {
        return given().auth().oauth2(token).header("Prefer", prefer).when();
    }

    static String kickOff(String token, String path) {
        Response kicked = given().auth().oauth2(token).header("Prefer", ASYNC).when().get(path);
        assertThat(kicked.statusCode()).as(kicked.asString()).isEqualTo(202);
        return kicked.header("Content-Location");
    }

    /** Polls the status URL until the manifest is there. */
    static JsonNode manifest(String token, String statusUrl) {
        String[] body = new String[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Response status = given().auth().oauth2(token).when().get(path(statusUrl));
            assertThat(status.statusCode()).isIn(200, 202);
            if (status.statusCode() == 202) {
                assertThat(status.header("X-Progress")).isNotBlank();
                return false;
            }
            body[0] = status.asString();
            return true;
        });
        return readJson(body[0].getBytes(StandardCharsets.UTF_8));
    }

    /** Every output file, each line parsed as an R5 resource, by type. */
    static Map<String, List<IBaseResource>> download(String token, JsonNode manifest) {
        Map<String, List<IBaseResource>> byType = new java.util.LinkedHashMap<>();
        for (JsonNode output : manifest.get("output")) {
            byte[] bytes = given().auth().oauth2(token).when().get(path(output.get("url").asText()))
                    .then().statusCode(200).extract().asByteArray();
            // the manifest tells each file's size, so that a client can tell a whole file from a damaged one
            assertThat((long) bytes.length).isEqualTo(output.path("extension").path("size").asLong(-1));
            String text = new String(bytes, StandardCharsets.UTF_8);
            String[] lines = text.split("\n");
            assertThat(lines).hasSize(output.get("count").asInt());
            for (String line : lines) {
                IBaseResource resource = R5.newJsonParser().parseResource(line);
                assertThat(resource.fhirType()).isEqualTo(output.get("type").asText());
                byType.computeIfAbsent(resource.fhirType(), t -> new ArrayList<>()).add(resource);
            }
        }
        return byType;
    }

    static Set<String> ids(List<IBaseResource> resources) {
        Set<String> ids = new TreeSet<>();
        if (resources != null) {
            resources.forEach(r -> ids.add(r.getIdElement().getIdPart()));
        }
        return ids;
    }

    static void assertOutcome(Response response, int status, String text) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/fhir+json");
        assertThat(response.asString()).contains("OperationOutcome").contains(text);
    }

    static String path(String url) {
        return url.startsWith(ORIGIN) ? url.substring(ORIGIN.length()) : url;
    }

    static String jobId(String statusUrl) {
        return statusUrl.substring(statusUrl.lastIndexOf('/') + 1);
    }

    static JsonNode readJson(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void sql(String statement) throws SQLException {
        try (Connection db = ObservationStore.connect(); PreparedStatement update = db.prepareStatement(statement)) {
            update.executeUpdate();
        }
    }

    /** A resource of the FHIR resource store, as ingest-service writes it; returns its id. */
    static String storeResource(long patientId, String type) {
        UUID id = UUID.randomUUID();
        try {
            sql("INSERT INTO ingest.fhir_resource (id, resource_type, patient_id, fhir_source_id, version_id, status, "
                    + "resource, upload_id, written_by_user_id) VALUES ('" + id + "', '" + type + "', " + patientId
                    + ", 1, 1, 'completed', '{\"resourceType\": \"" + type + "\", \"status\": \"completed\", "
                    + "\"questionnaire\": \"https://example.org/Questionnaire/export\"}', '"
                    + UUID.randomUUID() + "', 10006)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        STORED.add(id.toString());
        return id.toString();
    }

}
