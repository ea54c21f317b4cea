package org.jupyterhealth.exchange.fhir.resource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.common.testing.TestTokens;
import org.jupyterhealth.exchange.fhir.support.FakeAdmin;
import org.jupyterhealth.exchange.fhir.support.ObservationStore;
import org.jupyterhealth.exchange.fhir.support.Personas;
import org.jupyterhealth.exchange.fhir.upload.StandInIngest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * {@code PATCH [base]/{Type}/{uuid}} of the FHIR resource store: the body's top-level keys merged into the stored
 * resource and written as an update through the upload pipeline (a new version, its ETag), the result checked as a
 * PUT's is; If-Match as for PUT; refused to others; the exchange's own records (integer ids) are 405.
 */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(FakeAdmin.class)
@QuarkusTestResource(ObservationStore.class)
@QuarkusTestResource(StandInIngest.class)
class StorePatchTest {
    static final String MERGE_PATCH = "application/merge-patch+json";

    /** Peter's QuestionnaireResponse, created through his source; its id. */
    static String created() {
        ExtractableResponse<Response> created = StoreWriteTest.create(Personas.peter(), StoreWriteTest.QR, "90001");
        assertThat(created.statusCode()).as(created.body().asString()).isEqualTo(201);
        return created.jsonPath().getString("id");
    }

    static ExtractableResponse<Response> patch(String token, String path, String contentType, String body,
            String ifMatch) {
        var request = given().auth().oauth2(token).contentType(contentType).body(body);
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return request.when().patch("/fhir/r5/" + path).then().extract();
    }

    static JsonPath read(String path, String etag) {
        return given().auth().oauth2(Personas.peter()).when().get("/fhir/r5/" + path)
                .then().statusCode(200).header("ETag", etag).extract().jsonPath();
    }

    @Test
    void aPatchMergesTopLevelKeysIntoANewVersionAndNullRemovesAKey() {
        String path = "QuestionnaireResponse/" + created();

        ExtractableResponse<Response> patched = patch(Personas.peter(), path, MERGE_PATCH,
                "{\"status\":\"amended\",\"authored\":null,\"meta\":{\"source\":\"https://example.org/elsewhere\"}}",
                "W/\"1\"");

        assertThat(patched.statusCode()).as(patched.body().asString()).isEqualTo(200);
        assertThat(patched.header("ETag")).isEqualTo("W/\"2\"");
        assertThat(patched.header("Location")).contains("/fhir/r5/" + path + "/_history/2");
        assertThat(patched.header("Last-Modified")).isNotBlank();
        JsonPath body = patched.jsonPath();
        assertThat(body.getString("status")).isEqualTo("amended");
        assertThat(body.getString("authored")).isNull();
        assertThat(body.getString("questionnaire")).isEqualTo("https://example.org/Questionnaire/phq-9");
        assertThat(body.getString("meta.versionId")).isEqualTo("2");
        // meta is the store's: the source stays the stored one
        assertThat(body.getString("meta.source")).isEqualTo("https://jupyterhealth.org/fhir/fhir-source/90001");
        JsonPath stored = read(path, "W/\"2\"");
        assertThat(stored.getString("status")).isEqualTo("amended");
        assertThat(stored.getString("authored")).isNull();

        // FHIR JSON and plain JSON bodies are merged alike, and without If-Match the version read is the one patched
        patch(Personas.peter(), path, "application/fhir+json",
                "{\"resourceType\":\"QuestionnaireResponse\",\"questionnaire\":\"https://example.org/Questionnaire/b\"}",
                null).response().then().statusCode(200).header("ETag", "W/\"3\"");
        patch(Personas.peter(), path, "application/json", "{\"id\":\"" + path.substring(path.indexOf('/') + 1)
                + "\",\"authored\":\"2025-04-01T10:00:00Z\"}", "W/\"3\"").response().then().statusCode(200)
                .header("ETag", "W/\"4\"");
        JsonPath last = read(path, "W/\"4\"");
        assertThat(last.getString("questionnaire")).isEqualTo("https://example.org/Questionnaire/b");
        assertThat(last.getString("authored")).isEqualTo("2025-04-01T10:00:00Z");
        assertThat(last.getString("status")).isEqualTo("amended");
    }

    @Test
    void aPatchWhoseResultIsInvalidIsRefusedNamingThePathAndStoresNothing() {
        String path = "QuestionnaireResponse/" + created();

        patch(Personas.peter(), path, MERGE_PATCH, "{\"status\":\"bogus\"}", null).response().then()
                .statusCode(400).body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].expression[0]", equalTo("QuestionnaireResponse.status"));
        patch(Personas.peter(), path, MERGE_PATCH, "{\"status\":null}", "W/\"1\"").response().then()
                .statusCode(400).body("issue[0].expression[0]", equalTo("QuestionnaireResponse.status"));
        // what PATCH cannot change, and what is no patch
        patch(Personas.peter(), path, MERGE_PATCH, "{\"resourceType\":\"Condition\"}", null).response().then()
                .statusCode(400).body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("invalid"));
        patch(Personas.peter(), path, MERGE_PATCH, "{\"id\":\"" + UUID.randomUUID() + "\"}", null).response()
                .then().statusCode(400).body("resourceType", equalTo("OperationOutcome"));
        patch(Personas.peter(), path, MERGE_PATCH, "[{\"op\":\"remove\",\"path\":\"/status\"}]", null).response()
                .then().statusCode(400).body("resourceType", equalTo("OperationOutcome"));
        patch(Personas.peter(), path, MERGE_PATCH, "{not json", null).response()
                .then().statusCode(400).body("resourceType", equalTo("OperationOutcome"));
        patch(Personas.peter(), path, "application/json-patch+json", "[]", null).response()
                .then().statusCode(415).body("resourceType", equalTo("OperationOutcome"));
        patch(Personas.peter(), path, "text/plain", "{\"status\":\"amended\"}", null).response()
                .then().statusCode(415).body("resourceType", equalTo("OperationOutcome"));

        assertThat(read(path, "W/\"1\"").getString("status")).isEqualTo("completed");
    }

    @Test
    void aStaleIfMatchIs412() {
        String path = "QuestionnaireResponse/" + created();
        patch(Personas.peter(), path, MERGE_PATCH, "{\"status\":\"amended\"}", null).response().then()
                .statusCode(200).header("ETag", "W/\"2\"");

        patch(Personas.peter(), path, MERGE_PATCH, "{\"status\":\"completed\"}", "W/\"1\"").response().then()
                .statusCode(412).body("resourceType", equalTo("OperationOutcome"));

        assertThat(read(path, "W/\"2\"").getString("status")).isEqualTo("amended");
    }

    @Test
    void othersAreRefusedAndWithoutAValidTokenNothingIsPatched() {
        String path = "QuestionnaireResponse/" + created();

        for (String other : List.of(Personas.pamela(), Personas.mark())) {
            patch(other, path, MERGE_PATCH, "{\"status\":\"amended\"}", null).response().then()
                    .statusCode(403).body("resourceType", equalTo("OperationOutcome"))
                    .body("issue[0].code", equalTo("forbidden"));
        }
        given().contentType(MERGE_PATCH).body("{\"status\":\"amended\"}").when().patch("/fhir/r5/" + path)
                .then().statusCode(401).body("resourceType", equalTo("OperationOutcome"));
        patch(TestTokens.expired(), path, MERGE_PATCH, "{\"status\":\"amended\"}", null).response().then()
                .statusCode(401).body("resourceType", equalTo("OperationOutcome"));
        patch(Personas.peter(), "QuestionnaireResponse/" + UUID.randomUUID(), MERGE_PATCH,
                "{\"status\":\"amended\"}", null).response().then()
                .statusCode(404).body("resourceType", equalTo("OperationOutcome"));

        assertThat(read(path, "W/\"1\"").getString("status")).isEqualTo("completed");
    }

    /**
     * The writes by id of the types with records of their own need a token whatever the id (a UUID, the store's; an
     * integer, the exchange's own): 401 before the id is looked at.
     */
    @Test
    void theMappedTypesWritesByIdWithoutATokenAre401() {
        String uuid = UUID.randomUUID().toString();
        for (String type : List.of("Observation", "Patient", "Group", "Organization", "Practitioner", "Device")) {
            for (String id : List.of(uuid, "1")) {
                String path = "/fhir/r5/" + type + "/" + id;
                given().contentType(MERGE_PATCH).body("{\"language\":\"en\"}").when().patch(path)
                        .then().statusCode(401).body("resourceType", equalTo("OperationOutcome"));
                given().contentType("application/fhir+json").body("{\"resourceType\":\"" + type + "\"}")
                        .when().put(path)
                        .then().statusCode(401).body("resourceType", equalTo("OperationOutcome"));
                given().when().delete(path)
                        .then().statusCode(401).body("resourceType", equalTo("OperationOutcome"));
            }
        }
    }

    @Test
    void theMappedTypesArePatchedByUuidAndTheExchangesOwnRecordsAre405() {
        for (String type : List.of("Patient", "Group", "Organization", "Practitioner", "Device")) {
            ExtractableResponse<Response> created = given().auth().oauth2(Personas.peter())
                    .contentType("application/fhir+json").header("X-JHE-FHIR-Source-ID", "90001")
                    .body(StoreWriteTest.mappedBody(type, "Clinic")).when().post("/fhir/r5/" + type).then().extract();
            assertThat(created.statusCode()).as(type + ": " + created.body().asString()).isEqualTo(201);
            String path = type + "/" + created.jsonPath().getString("id");

            ExtractableResponse<Response> patched = patch(Personas.peter(), path, MERGE_PATCH,
                    "{\"language\":\"en\"}", "W/\"1\"");

            assertThat(patched.statusCode()).as(type + ": " + patched.body().asString()).isEqualTo(200);
            assertThat(patched.header("ETag")).as(type).isEqualTo("W/\"2\"");
            JsonPath stored = read(path, "W/\"2\"");
            assertThat(stored.getString("language")).as(type).isEqualTo("en");
            assertThat(stored.getString("resourceType")).as(type).isEqualTo(type);
        }
        for (String own : List.of("Patient/40001", "Group/30001", "Organization/20003", "Practitioner/10002",
                "Device/70001", "Observation/60001")) {
            patch(Personas.peter(), own, MERGE_PATCH, "{\"language\":\"en\"}", null).response().then()
                    .statusCode(405).body("resourceType", equalTo("OperationOutcome"));
        }
    }
}
