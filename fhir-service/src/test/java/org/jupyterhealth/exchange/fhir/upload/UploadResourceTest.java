package org.jupyterhealth.exchange.fhir.upload;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.common.testing.ManagementPort;
import org.jupyterhealth.exchange.common.testing.TestTokens;
import org.jupyterhealth.exchange.common.upload.UploadEnvelope;
import org.jupyterhealth.exchange.fhir.support.Links;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;

/**
 * The upload endpoints of fhir-service against the real broker and database, with a stand-in for ingest-service:
 * the envelope it produces, the batch-response it renders, the whole-request errors, the asynchronous status,
 * and who may not call them.
 */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(StandInIngest.class)
class UploadResourceTest {
    static final String FHIR_JSON = "application/fhir+json";
    static final String PETER = TestTokens.patient(10006, "ll_patient_peter@example.com");
    static final String PAMELA = TestTokens.patient(10007, "ll_patient_pamela@example.com");
    /** Bodies sent exactly as given: no charset added to their Content-Type. */
    static final RestAssuredConfig RAW = RestAssuredConfig.config().encoderConfig(EncoderConfig.encoderConfig()
            .appendDefaultContentCharsetToContentTypeIfUndefined(false));

    @TestHTTPResource("/")
    URI root;

    @AfterEach
    void answerEverything() {
        StandInIngest.UNAVAILABLE.set(false);
        StandInIngest.release();
    }

    static String sample(String name) {
        try (InputStream in = UploadResourceTest.class.getClassLoader().getResourceAsStream("samples/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode bundle(String type, JsonNode... resources) {
        ObjectNode bundle = StandInIngest.JSON.createObjectNode().put("resourceType", "Bundle").put("type", type);
        ArrayNode entries = bundle.putArray("entry");
        for (JsonNode resource : resources) {
            ObjectNode entry = entries.addObject();
            entry.set("resource", resource);
            entry.putObject("request").put("method", "POST").put("url", "Observation");
        }
        return bundle;
    }

    static ObjectNode observation(String code) {
        try {
            ObjectNode resource = (ObjectNode) StandInIngest.JSON.readTree(sample("upload-bundle-blood-pressure.json"))
                    .get("entry").get(0).get("resource");
            ((ObjectNode) resource.get("code").get("coding").get(0)).put("code", code);
            ((ObjectNode) resource.get("identifier").get(0)).put("value", UUID.randomUUID().toString());
            return resource;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static UUID uploadIdOf(String statusUrl) {
        return UUID.fromString(statusUrl.substring(statusUrl.lastIndexOf('/') + 1));
    }

    @Test
    void patientUploadsTheSampleBundleAndGetsOneResponseEntryPerEntryInOrder() {
        Response response = given().auth().oauth2(PETER).contentType(FHIR_JSON)
                .body(sample("upload-bundle-mixed.json"))
                .when().post("/fhir/r5/")
                .then().statusCode(200).contentType(FHIR_JSON)
                .body("resourceType", equalTo("Bundle"))
                .body("type", equalTo("batch-response"))
                .body("entry", hasSize(7))
                .body("entry[0].response.status", equalTo("201 Created"))
                .body("entry[0].response.location", matchesPattern("Observation/[0-9]+"))
                .body("entry[0].resource.resourceType", equalTo("Observation"))
                .body("entry[2].response.status", equalTo("201 Created"))
                .body("entry[3].response.status", equalTo("403 Forbidden"))
                .body("entry[3].resource", nullValue())
                .body("entry[3].response.outcome.resourceType", equalTo("OperationOutcome"))
                .body("entry[3].response.outcome.issue[0].severity", equalTo("error"))
                .body("entry[3].response.outcome.issue[0].code", equalTo("forbidden"))
                .body("entry[3].response.outcome.issue[0].diagnostics", startsWith("Observation data with"))
                .extract().response();
        String id = response.path("entry[0].resource.id");
        assertThat(response.<String>path("entry[0].response.location")).isEqualTo("Observation/" + id);
    }

    @Test
    void eachCreatedEntryCarriesTheStoredObservationUnlessTheClientPrefersLess() {
        Response stored = given().auth().oauth2(PETER).contentType(FHIR_JSON)
                .body(sample("upload-bundle-mixed.json"))
                .when().post("/fhir/r5")
                .then().statusCode(200)
                .body("entry[0].resource.status", equalTo("final"))
                .body("entry[0].resource.code.coding[0].code", equalTo("omh:heart-rate:2.0"))
                .body("entry[0].resource.subject.reference", equalTo("Patient/40001"))
                .body("entry[0].resource.valueAttachment.contentType", equalTo("application/json"))
                .body("entry[0].resource.meta.source", equalTo("https://jupyterhealth.org/jhe"))
                .extract().response();
        assertThat(stored.<String>path("entry[0].response.location"))
                .isEqualTo("Observation/" + stored.path("entry[0].resource.id"));
        assertThat(stored.<String>path("entry[0].resource.meta.lastUpdated"))
                .isEqualTo(stored.path("entry[0].response.lastModified"));

        given().auth().oauth2(PETER).contentType(FHIR_JSON).header("Prefer", "return=minimal")
                .body(sample("upload-bundle-mixed.json"))
                .when().post("/fhir/r5")
                .then().statusCode(200)
                .body("entry[0].response.status", equalTo("201 Created"))
                .body("entry[0].response.location", matchesPattern("Observation/[0-9]+"))
                .body("entry[0].resource", nullValue())
                .body("entry[0].response.outcome", nullValue());

        given().auth().oauth2(PETER).contentType(FHIR_JSON).header("Prefer", "return=OperationOutcome")
                .body(sample("upload-bundle-mixed.json"))
                .when().post("/fhir/r5")
                .then().statusCode(200)
                .body("entry[0].response.status", equalTo("201 Created"))
                .body("entry[0].resource", nullValue())
                .body("entry[0].response.outcome.resourceType", equalTo("OperationOutcome"))
                .body("entry[0].response.outcome.issue[0].severity", equalTo("information"))
                .body("entry[3].response.outcome.issue[0].code", equalTo("forbidden"));
    }

    @Test
    void aBundleOfAThousandEntriesOverAMegabyteIsStoredWhole() {
        ObjectNode template = observation("omh:blood-pressure:4.0");
        template.putArray("note").addObject().put("text", "x".repeat(2_000));
        JsonNode[] resources = new JsonNode[1000];
        for (int i = 0; i < resources.length; i++) {
            ObjectNode resource = template.deepCopy();
            ((ObjectNode) resource.get("identifier").get(0)).put("value", UUID.randomUUID().toString());
            resources[i] = resource;
        }
        String body = bundle("batch", resources).toString();
        assertThat(body.length()).isGreaterThan(2_000_000);

        given().auth().oauth2(PETER).contentType(FHIR_JSON).body(body)
                .when().post("/fhir/r5/")
                .then().statusCode(200)
                .body("type", equalTo("batch-response"))
                .body("entry", hasSize(1000))
                .body("entry.response.status", everyItem(equalTo("201 Created")));
    }

    @Test
    void producesOneEnvelopePerUploadKeyedByThePatientOfItsFirstEntry() {
        int before = StandInIngest.RECEIVED.size();

        given().auth().oauth2(PETER).contentType("application/json")
                .body(sample("upload-bundle-mixed.json"))
                .when().post("/fhir/r5")
                .then().statusCode(200);

        List<ConsumerRecord<String, String>> received = StandInIngest.RECEIVED.subList(before,
                StandInIngest.RECEIVED.size());
        assertThat(received).hasSize(1);
        assertThat(received.get(0).key()).isEqualTo("40001");
        UploadEnvelope upload = readEnvelope(received.get(0));
        assertThat(upload.uploaderUserId()).isEqualTo(10006);
        assertThat(upload.bundleType()).isEqualTo("batch");
        assertThat(upload.version()).isEqualTo(1);
        assertThat(upload.entries()).hasSize(7);
        assertThat(upload.entries().get(0).method()).isEqualTo("POST");
        assertThat(upload.entries().get(0).url()).isEqualTo("Observation");
        assertThat(upload.entries().get(0).resource().toString()).contains("\"resourceType\":\"Observation\"")
                .contains("bbbb0000-0000-4000-8000-000000000000");
    }

    static UploadEnvelope readEnvelope(ConsumerRecord<String, String> record) {
        try {
            return StandInIngest.JSON.readValue(record.value(), UploadEnvelope.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "/fhir/r5", "/fhir/r5/", "/FHIR/R5", "/FHIR/R5/" })
    void acceptsBatchesAtEveryBase(String base) {
        given().auth().oauth2(PETER).contentType(FHIR_JSON)
                .body(bundle("batch", observation("omh:heart-rate:2.0")).toString())
                .when().post(base)
                .then().statusCode(200)
                .body("type", equalTo("batch-response"))
                .body("entry[0].response.status", equalTo("201 Created"));
    }

    @Test
    void aTransactionIsAnsweredWithATransactionResponse() {
        given().auth().oauth2(PETER).contentType(FHIR_JSON)
                .body(bundle("transaction", observation("omh:heart-rate:2.0"), observation("omh:blood-pressure:4.0"))
                        .toString())
                .when().post("/fhir/r5")
                .then().statusCode(200)
                .body("type", equalTo("transaction-response"))
                .body("entry.response.status", equalTo(List.of("201 Created", "201 Created")));
    }

    @Test
    void aRefusedTransactionIsOneOperationOutcomeNamingTheFailingEntry() {
        given().auth().oauth2(PETER).contentType(FHIR_JSON)
                .body(bundle("transaction", observation("omh:heart-rate:2.0"), observation("omh:blood-glucose:4.0"))
                        .toString())
                .when().post("/fhir/r5")
                .then().statusCode(403).contentType(FHIR_JSON)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", equalTo("The transaction was not stored: 1 of its 2 entries failed."))
                .body("issue[1].code", equalTo("forbidden"))
                .body("issue[1].expression[0]", equalTo("Bundle.entry[1]"));
    }

    @Test
    void anEmptyBatchIsAnsweredWithAnEmptyBatchResponseWithoutProducingAnything() {
        int before = StandInIngest.RECEIVED.size();

        given().auth().oauth2(PETER).contentType(FHIR_JSON)
                .body("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[]}")
                .when().post("/fhir/r5")
                .then().statusCode(200)
                .body("type", equalTo("batch-response"))
                .body("entry", nullValue());

        assertThat(StandInIngest.RECEIVED).hasSize(before);
    }

    @Test
    void refusesWholeRequestProblemsWithAnOperationOutcomeAndProducesNothing() {
        int before = StandInIngest.RECEIVED.size();
        ObjectNode tooMany = bundle("batch");
        ArrayNode entries = (ArrayNode) tooMany.get("entry");
        for (int i = 0; i < 1001; i++) {
            entries.addObject().putObject("request").put("method", "POST");
        }
        String tooLarge = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[],\"padding\":\""
                + "x".repeat(4_300_000) + "\"}";

        refused("{\"resourceType\": \"Bundle\", ", 400, "invalid", "The request body is not valid JSON.");
        refused("", 400, "invalid", "The request body is empty: a FHIR Bundle in JSON is expected.");
        refused("{\"resourceType\":\"Observation\",\"status\":\"final\"}", 400, "invalid",
                "The request body must be a FHIR Bundle (resourceType \"Bundle\").");
        refused("[1, 2]", 400, "invalid", "The request body must be a FHIR Bundle (resourceType \"Bundle\").");
        refused("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[]}", 400, "not-supported",
                "Bundle type 'searchset' is not supported: only batch and transaction Bundles can be posted.");
        refused("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":{}}", 400, "invalid",
                "Bundle.entry must be an array.");
        refused(tooMany.toString(), 413, "too-costly",
                "The Bundle has 1001 entries; at most 1000 are accepted in one request.");
        refused(tooLarge, 413, "too-long", "The request body exceeds 4194304 bytes.");

        assertThat(StandInIngest.RECEIVED).hasSize(before);
    }

    static void refused(String body, int status, String code, String diagnostics) {
        given().auth().oauth2(PETER).contentType(FHIR_JSON).body(body)
                .when().post("/fhir/r5/")
                .then().statusCode(status).contentType(FHIR_JSON)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].severity", equalTo("error"))
                .body("issue[0].code", equalTo(code))
                .body("issue[0].diagnostics", equalTo(diagnostics));
    }

    @ParameterizedTest
    @ValueSource(strings = { "text/plain", "application/x-www-form-urlencoded", "application/octet-stream",
        "application/xml", "multipart/form-data; boundary=x", "text/json", "application/jsonx" })
    void aBodyOfAnotherMediaTypeIs415AndIsNotRead(String contentType) throws Exception {
        int before = StandInIngest.RECEIVED.size();
        String bundle = sample("upload-bundle-blood-pressure.json");
        String observation = observation("omh:heart-rate:2.0").toString();

        for (Map.Entry<String, String> post : Map.of("/fhir/r5/", bundle, "/FHIR/R5", bundle,
                "/fhir/r5/Observation", observation).entrySet()) {
            HttpResponse<String> response = post(post.getKey(), contentType, post.getValue());

            assertThat(response.statusCode()).as(post.getKey()).isEqualTo(415);
            assertThat(response.headers().firstValue("Content-Type")).hasValue(FHIR_JSON);
            JsonNode outcome = StandInIngest.JSON.readTree(response.body());
            assertThat(outcome.path("resourceType").asText()).isEqualTo("OperationOutcome");
            assertThat(outcome.path("issue").path(0).path("severity").asText()).isEqualTo("error");
            assertThat(outcome.path("issue").path(0).path("code").asText()).isEqualTo("not-supported");
            assertThat(outcome.path("issue").path(0).path("diagnostics").asText()).isEqualTo(
                    "The request body must be FHIR JSON: Content-Type application/fhir+json or application/json.");
        }

        assertThat(StandInIngest.RECEIVED).hasSize(before);
    }

    /** A POST of the text as UTF-8, with exactly this Content-Type (none for null), as Peter. */
    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(root.resolve(path))
                .header("Authorization", "Bearer " + PETER)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request.build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** JSON is UTF-8 whatever a charset parameter says: the body is read as UTF-8. */
    @ParameterizedTest
    @ValueSource(strings = { "application/fhir+json; charset=utf-8", "application/json;charset=UTF-8",
        "Application/FHIR+JSON; fhirVersion=5.0", "application/json", "application/json; charset=ISO-8859-1" })
    void jsonAndFhirJsonAreReadWithAnyParameters(String contentType) {
        given().config(RAW).auth().oauth2(PETER).contentType(contentType)
                .body(bundle("batch", observation("omh:heart-rate:2.0")).toString().getBytes(StandardCharsets.UTF_8))
                .when().post("/fhir/r5/")
                .then().statusCode(200)
                .body("entry[0].response.status", equalTo("201 Created"));
    }

    @Test
    void aBodyWithoutAContentTypeIsReadAsJson() throws Exception {
        // what the jupyterhealth-client and the apps send carries a type; a request without one is still read
        HttpResponse<String> response = post("/fhir/r5/Observation", null, observation("omh:heart-rate:2.0")
                .toString());

        assertThat(response.request().headers().firstValue("Content-Type")).isEmpty();
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).contains("\"resourceType\":\"Observation\"");
    }

    @Test
    void aBodyThatIsNotUtf8IsRefusedWholeAndNothingIsProduced() {
        int before = StandInIngest.RECEIVED.size();
        // the identifier's value holds C3 28 (a lead byte without its continuation) and FF (never in UTF-8)
        String marker = "NOT-UTF-8";
        ObjectNode resource = observation("omh:heart-rate:2.0");
        ((ObjectNode) resource.get("identifier").get(0)).put("value", marker);
        byte[] bundle = withInvalidUtf8(bundle("batch", resource, observation("omh:heart-rate:2.0")).toString(),
                marker);
        byte[] transaction = withInvalidUtf8(bundle("transaction", resource).toString(), marker);
        byte[] single = withInvalidUtf8(resource.toString(), marker);

        Map.of("/fhir/r5/", bundle, "/FHIR/R5/", transaction, "/fhir/r5/Observation", single).forEach((path, body) ->
                given().auth().oauth2(PETER).contentType(FHIR_JSON).body(body)
                        .when().post(path)
                        .then().statusCode(400).contentType(FHIR_JSON)
                        .body("resourceType", equalTo("OperationOutcome"))
                        .body("issue[0].code", equalTo("invalid"))
                        .body("issue[0].diagnostics", equalTo("The request body is not valid UTF-8 JSON: FHIR JSON "
                                + "is encoded in UTF-8.")));

        assertThat(StandInIngest.RECEIVED).hasSize(before);
    }

    /** The JSON text as UTF-8, with the marker replaced by bytes that are not UTF-8. */
    private static byte[] withInvalidUtf8(String json, String marker) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        byte[] wanted = marker.getBytes(StandardCharsets.UTF_8);
        byte[] invalid = { 'a', (byte) 0xc3, 0x28, (byte) 0xff, 'b' };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf(new String(wanted,
                StandardCharsets.ISO_8859_1));
        out.write(bytes, 0, at);
        out.write(invalid, 0, invalid.length);
        out.write(bytes, at + wanted.length, bytes.length - at - wanted.length);
        return out.toByteArray();
    }

    @Test
    void anUploadWithoutATokenIs401AndProducesNothing() {
        int before = StandInIngest.RECEIVED.size();

        given().contentType(FHIR_JSON).body(sample("upload-bundle-blood-pressure.json"))
                .when().post("/fhir/r5/")
                .then().statusCode(401)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("login"));
        given().header("Authorization", "Bearer " + TestTokens.expired()).contentType(FHIR_JSON)
                .body(sample("upload-bundle-blood-pressure.json"))
                .when().post("/FHIR/R5/Observation")
                .then().statusCode(401);

        assertThat(StandInIngest.RECEIVED).hasSize(before);
    }

    @Test
    void aServiceTokenWithoutAUserMayNotUpload() {
        String serviceToken = TestTokens.sign(TestTokens.claims(1, "x@example.com", null, false)
                .subject("admin-service"));

        given().auth().oauth2(serviceToken).contentType(FHIR_JSON).body(sample("upload-bundle-blood-pressure.json"))
                .when().post("/fhir/r5/")
                .then().statusCode(403)
                .body("issue[0].code", equalTo("forbidden"));
    }

    @Test
    void singleCreateAnswers201WithLocationAndTheCreatedObservation() {
        Response response = given().auth().oauth2(PETER).contentType(FHIR_JSON)
                .body(observation("omh:heart-rate:2.0").toString())
                .when().post("/FHIR/R5/Observation")
                .then().statusCode(201).contentType(FHIR_JSON)
                .header("Location", matchesPattern(Links.PUBLIC_URL + "/FHIR/R5/Observation/[0-9]+"))
                .body("resourceType", equalTo("Observation"))
                .body("subject.reference", equalTo("Patient/40001"))
                .body("meta.lastUpdated", matchesPattern("\\d{4}-.*"))
                .extract().response();
        assertThat(response.header("Location")).endsWith("/Observation/" + response.path("id"));
    }

    @Test
    void singleCreateThatIsRefusedAnswersTheEntryStatusWithAnOperationOutcome() {
        given().auth().oauth2(PETER).contentType(FHIR_JSON)
                .body(observation("omh:blood-glucose:4.0").toString())
                .when().post("/fhir/r5/Observation")
                .then().statusCode(403)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("forbidden"))
                .body("issue[0].diagnostics", startsWith("Observation data with coding_system="));
    }

    @Test
    void unavailableUploadDecisionsAre503WithRetryAfter() {
        StandInIngest.UNAVAILABLE.set(true);

        given().auth().oauth2(PETER).contentType(FHIR_JSON).body(sample("upload-bundle-blood-pressure.json"))
                .when().post("/fhir/r5/")
                .then().statusCode(503)
                .header("Retry-After", equalTo("5"))
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("transient"));
    }

    @Test
    void respondAsyncAnswers202AtOnceAndTheStatusUrlGivesTheOutcomeToTheUploaderOnly() {
        StandInIngest.HOLD.set(true);
        String statusUrl = given().auth().oauth2(PETER).contentType(FHIR_JSON)
                .header("Prefer", "respond-async")
                .body(sample("upload-bundle-mixed.json"))
                .when().post("/FHIR/R5")
                .then().statusCode(202)
                .header("Content-Location", matchesPattern(Links.PUBLIC_URL + "/FHIR/R5/_upload/[0-9a-f-]{36}"))
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].severity", equalTo("information"))
                .extract().header("Content-Location");
        String path = statusUrl.substring(statusUrl.indexOf("/FHIR/R5"));

        given().auth().oauth2(PETER).when().get(path).then().statusCode(202)
                .header("Content-Location", endsWith(path));
        given().auth().oauth2(PAMELA).when().get(path).then().statusCode(404)
                .body("issue[0].code", equalTo("not-found"));
        given().when().get(path).then().statusCode(401);

        StandInIngest.release();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().auth().oauth2(PETER)
                .when().get(path)
                .then().statusCode(200)
                .body("type", equalTo("batch-response"))
                .body("entry", hasSize(7))
                .body("entry[0].response.status", equalTo("201 Created")));
        given().auth().oauth2(PAMELA).when().get(path).then().statusCode(404);
        given().auth().oauth2(PETER).when().get("/fhir/r5/_upload/" + uploadIdOf(statusUrl))
                .then().statusCode(200);
    }

    @Test
    void aForgedHostOrForwardedHostNeverReachesALocationOrStatusUrl() {
        StandInIngest.HOLD.set(true);
        String statusUrl = given().auth().oauth2(PETER).contentType(FHIR_JSON).header("Prefer", "respond-async")
                .header("Host", "evil.example").header("X-Forwarded-Host", "evil.example")
                .header("X-Forwarded-Proto", "http")
                .body(sample("upload-bundle-blood-pressure.json"))
                .when().post("/FHIR/R5/")
                .then().statusCode(202)
                .extract().header("Content-Location");
        StandInIngest.release();
        String location = given().auth().oauth2(PETER).contentType(FHIR_JSON)
                .header("Host", "evil.example").header("X-Forwarded-Host", "evil.example")
                .body(observation("omh:heart-rate:2.0").toString())
                .when().post("/fhir/r5/Observation")
                .then().statusCode(201)
                .extract().header("Location");

        assertThat(statusUrl).matches(Links.PUBLIC_URL + "/FHIR/R5/_upload/[0-9a-f-]{36}");
        assertThat(location).matches(Links.PUBLIC_URL + "/fhir/r5/Observation/[0-9]+");
    }

    @Test
    void anUnsupportedBundleTypeIsQuotedShortAndPrintable() {
        given().auth().oauth2(PETER).contentType(FHIR_JSON)
                .body("{\"resourceType\":\"Bundle\",\"type\":\"\\u0000" + "x".repeat(100_000) + "\",\"entry\":[]}")
                .when().post("/fhir/r5")
                .then().statusCode(400)
                .body("issue[0].code", equalTo("not-supported"))
                .body("issue[0].diagnostics", startsWith("Bundle type '\uFFFDxxx"))
                .body("issue[0].diagnostics.length()", lessThan(200));
    }

    @Test
    void uploadsAreCountedByAnswerInThePrometheusMetrics() {
        given().auth().oauth2(PETER).contentType(FHIR_JSON).body(sample("upload-bundle-blood-pressure.json"))
                .when().post("/fhir/r5/").then().statusCode(200);

        String metrics = given().when().get(ManagementPort.url("metrics")).then().statusCode(200).extract().asString();

        assertThat(metrics).contains("jhe_fhir_uploads_total{answer=\"200\",bundle_type=\"batch\"}")
                .contains("jhe_fhir_upload_answer_seconds_count");
    }

    @Test
    void unknownUploadsAndMalformedIdsAre404() {
        given().auth().oauth2(PETER).when().get("/fhir/r5/_upload/" + UUID.randomUUID()).then().statusCode(404);
        given().auth().oauth2(PETER).when().get("/fhir/r5/_upload/not-an-id").then().statusCode(404)
                .body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void aSynchronousUploadStillRunningWhenTheWaitEndsIsAnswered202WithItsStatusUrl() {
        StandInIngest.HOLD.set(true);

        String statusUrl = given().auth().oauth2(PETER).contentType(FHIR_JSON)
                .body(sample("upload-bundle-blood-pressure.json"))
                .when().post("/fhir/r5")
                .then().statusCode(202)
                .extract().header("Content-Location");
        String path = statusUrl.substring(statusUrl.indexOf("/fhir/r5"));
        given().auth().oauth2(PETER).when().get(path).then().statusCode(202);

        StandInIngest.release();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().auth().oauth2(PETER)
                .when().get(path).then().statusCode(200).body("entry[0].response.status", equalTo("201 Created")));
    }
}
