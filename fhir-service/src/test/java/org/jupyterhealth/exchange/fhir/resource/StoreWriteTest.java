package org.jupyterhealth.exchange.fhir.resource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.fhir.support.FakeAdmin;
import org.jupyterhealth.exchange.fhir.support.Links;
import org.jupyterhealth.exchange.fhir.support.ObservationStore;
import org.jupyterhealth.exchange.fhir.support.Personas;
import org.jupyterhealth.exchange.fhir.upload.StandInIngest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * Creates, updates and deletes of the FHIR resource store over HTTP: each a one-entry upload, answered with the
 * stored resource, its Location, ETag and Last-Modified, or with the entry's failure naming the element; Bundles mix
 * them with Open mHealth Observations. The decisions themselves are ingest-service's (its ResourceIngestTest).
 */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(FakeAdmin.class)
@QuarkusTestResource(ObservationStore.class)
@QuarkusTestResource(StandInIngest.class)
class StoreWriteTest {
    static final String QR = "{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"completed\","
            + "\"questionnaire\":\"https://example.org/Questionnaire/phq-9\",\"authored\":\"2025-03-01T10:00:00Z\"}";

    static ExtractableResponse<Response> create(String token, String body, String source) {
        var request = given().auth().oauth2(token).contentType("application/fhir+json").body(body);
        if (source != null) {
            request.header("X-JHE-FHIR-Source-ID", source);
        }
        return request.when().post("/fhir/r5/QuestionnaireResponse").then().extract();
    }

    @Test
    void aCreateIsAnswered201WithTheStoredResourceAndItsVersionThenUpdatedAndDeleted() {
        ExtractableResponse<Response> created = create(Personas.peter(), QR, "90001");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.header("ETag")).isEqualTo("W/\"1\"");
        assertThat(created.header("Location")).startsWith(Links.PUBLIC_URL + "/fhir/r5/QuestionnaireResponse/")
                .endsWith("/_history/1");
        JsonPath body = created.jsonPath();
        String id = body.getString("id");
        assertThat(body.getString("meta.versionId")).isEqualTo("1");
        assertThat(body.getString("meta.source")).isEqualTo("https://jupyterhealth.org/fhir/fhir-source/90001");

        given().auth().oauth2(Personas.peter()).contentType("application/fhir+json").header("If-Match", "W/\"7\"")
                .body(QR).when().put("/fhir/r5/QuestionnaireResponse/" + id)
                .then().statusCode(412).body("resourceType", equalTo("OperationOutcome"));
        given().auth().oauth2(Personas.peter()).contentType("application/fhir+json").header("If-Match", "W/\"1\"")
                .body(QR.replace("completed", "amended")).when().put("/fhir/r5/QuestionnaireResponse/" + id)
                .then().statusCode(200).header("ETag", "W/\"2\"").body("status", equalTo("amended"))
                .body("meta.versionId", equalTo("2"));
        given().auth().oauth2(Personas.peter()).when().get("/fhir/r5/QuestionnaireResponse/" + id)
                .then().statusCode(200).header("ETag", "W/\"2\"");

        given().auth().oauth2(Personas.pamela()).when().delete("/fhir/r5/QuestionnaireResponse/" + id)
                .then().statusCode(403);
        given().auth().oauth2(Personas.peter()).when().delete("/fhir/r5/QuestionnaireResponse/" + id)
                .then().statusCode(204);
        given().auth().oauth2(Personas.peter()).when().get("/fhir/r5/QuestionnaireResponse/" + id)
                .then().statusCode(404);
    }

    @Test
    void refusalsAreOperationOutcomesNamingTheElement() {
        create(Personas.peter(), QR.replace("\"status\":\"completed\",", ""), "90001").response().then()
                .statusCode(400)
                .body("issue[0].expression[0]", equalTo("QuestionnaireResponse.status"));
        create(Personas.peter(), QR, null).response().then().statusCode(400)
                .body("issue[0].diagnostics", startsWith("A FHIR source is required"));
        create(Personas.peter(), QR, "99999").response().then().statusCode(400)
                .body("issue[0].diagnostics", equalTo("FhirSource '99999' does not exist."));
        create(Personas.peter(), QR, "not-a-source").response().then().statusCode(400);
        create(Personas.pamela(), QR, "90001").response().then().statusCode(403);
        given().auth().oauth2(Personas.peter()).contentType("text/plain").body(QR)
                .when().post("/fhir/r5/QuestionnaireResponse").then().statusCode(415);
    }

    @Test
    void aBundleMixesObservationsAndStoredResourcesEntryByEntry() {
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":["
                + "{\"resource\":" + QR + ",\"request\":{\"method\":\"POST\",\"url\":\"QuestionnaireResponse\"}},"
                + "{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{"
                + "\"system\":\"https://w3id.org/openmhealth\",\"code\":\"omh:heart-rate:2.0\"}]},\"subject\":{"
                + "\"reference\":\"Patient/40001\"}},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}";

        JsonPath answer = given().auth().oauth2(Personas.peter()).contentType("application/fhir+json")
                .header("X-JHE-FHIR-Source-ID", "90001").body(bundle)
                .when().post("/fhir/r5")
                .then().statusCode(200).body("type", equalTo("batch-response"))
                .extract().jsonPath();

        assertThat(answer.getString("entry[0].response.status")).isEqualTo("201 Created");
        assertThat(answer.getString("entry[0].response.etag")).isEqualTo("W/\"1\"");
        assertThat(answer.getString("entry[0].response.location")).startsWith("QuestionnaireResponse/");
        assertThat(answer.getString("entry[0].resource.meta.source"))
                .isEqualTo("https://jupyterhealth.org/fhir/fhir-source/90001");
        assertThat(answer.getString("entry[1].response.status")).isEqualTo("201 Created");
        assertThat(answer.getString("entry[1].response.location")).startsWith("Observation/");
    }

    /** A body of one of the store's UUID-addressed types (Patient, Group, Organization, Practitioner, Device). */
    static String mappedBody(String type, String name) {
        return "{\"resourceType\":\"" + type + "\",\"name\":" + (type.equals("Patient")
                || type.equals("Practitioner") ? "[{\"family\":\"" + name + "\"}]" : type.equals("Device")
                        ? "[{\"value\":\"" + name + "\",\"type\":\"user-friendly-name\"}]"
                        : "\"" + name + "\"") + (type.equals("Group")
                                ? ",\"type\":\"person\",\"membership\":\"enumerated\"" : "") + "}";
    }

    /**
     * A stored Patient, Group, Organization, Practitioner or Device (by UUID) is replaced or deleted by its patient
     * or a permitted practitioner only: another patient and a practitioner of another organization are refused with
     * 403, a request without a token or with an expired one with 401, each an OperationOutcome, and the resource stays
     * as it was (version 1, its name unchanged).
     */
    @Test
    void theMappedTypesStoredByUuidAreNotWrittenByOthersNorWithoutAValidToken() {
        String expired = org.jupyterhealth.exchange.common.testing.TestTokens.expired();
        for (String type : java.util.List.of("Patient", "Group", "Organization", "Practitioner", "Device")) {
            String body = mappedBody(type, "Clinic");
            ExtractableResponse<Response> created = given().auth().oauth2(Personas.peter())
                    .contentType("application/fhir+json").header("X-JHE-FHIR-Source-ID", "90001").body(body)
                    .when().post("/fhir/r5/" + type).then().extract();
            assertThat(created.statusCode()).as(type + ": " + created.body().asString()).isEqualTo(201);
            String path = "/fhir/r5/" + type + "/" + created.jsonPath().getString("id");
            String replacement = mappedBody(type, "Taken over");

            for (String other : java.util.List.of(Personas.pamela(), Personas.mark())) {
                given().auth().oauth2(other).contentType("application/fhir+json").header("If-Match", "W/\"1\"")
                        .body(replacement).when().put(path)
                        .then().statusCode(403).body("resourceType", equalTo("OperationOutcome"))
                        .body("issue[0].code", equalTo("forbidden"));
                given().auth().oauth2(other).when().delete(path)
                        .then().statusCode(403).body("resourceType", equalTo("OperationOutcome"))
                        .body("issue[0].code", equalTo("forbidden"));
            }
            given().contentType("application/fhir+json").body(replacement).when().put(path)
                    .then().statusCode(401).body("resourceType", equalTo("OperationOutcome"))
                    .body("issue[0].code", equalTo("login"));
            given().when().delete(path)
                    .then().statusCode(401).body("resourceType", equalTo("OperationOutcome"))
                    .body("issue[0].code", equalTo("login"));
            given().auth().oauth2(expired).contentType("application/fhir+json").body(replacement).when().put(path)
                    .then().statusCode(401).body("resourceType", equalTo("OperationOutcome"))
                    .body("issue[0].code", equalTo("login"));
            given().auth().oauth2(expired).when().delete(path)
                    .then().statusCode(401).body("resourceType", equalTo("OperationOutcome"))
                    .body("issue[0].code", equalTo("login"));

            ExtractableResponse<Response> after = given().auth().oauth2(Personas.peter()).when().get(path)
                    .then().extract();
            assertThat(after.statusCode()).as(type).isEqualTo(200);
            assertThat(after.header("ETag")).as(type).isEqualTo("W/\"1\"");
            assertThat(after.body().asString()).as(type).contains("Clinic").doesNotContain("Taken over");
        }
    }

    /**
     * Patient, Group, Organization, Practitioner and Device are also the store's types (as the original's auxiliary
     * store has them): a create goes to the store, a UUID reads, replaces and deletes the stored one, and an integer
     * id is still the exchange's own record, which is read but never written (405).
     */
    @Test
    void theMappedTypesCreateReadUpdateAndDeleteStoredResourcesByUuid() {
        for (String type : java.util.List.of("Patient", "Group", "Organization", "Practitioner", "Device")) {
            String body = mappedBody(type, "Clinic");
            ExtractableResponse<Response> created = given().auth().oauth2(Personas.peter())
                    .contentType("application/fhir+json").header("X-JHE-FHIR-Source-ID", "90001").body(body)
                    .when().post("/fhir/r5/" + type).then().extract();
            assertThat(created.statusCode()).as(type + ": " + created.body().asString()).isEqualTo(201);
            String id = created.jsonPath().getString("id");
            assertThat(id).as(type).matches("[0-9a-f-]{36}");
            assertThat(created.header("Location")).startsWith(Links.PUBLIC_URL + "/fhir/r5/" + type + "/" + id);

            given().auth().oauth2(Personas.peter()).when().get("/fhir/r5/" + type + "/" + id)
                    .then().statusCode(200).header("ETag", "W/\"1\"").body("resourceType", equalTo(type))
                    .body("id", equalTo(id))
                    .body("meta.source", equalTo("https://jupyterhealth.org/fhir/fhir-source/90001"));
            given().auth().oauth2(Personas.pamela()).when().get("/fhir/r5/" + type + "/" + id)
                    .then().statusCode(404);
            given().auth().oauth2(Personas.peter()).contentType("application/fhir+json").header("If-Match", "W/\"1\"")
                    .body(body.replace("Clinic", "Clinic two")).when().put("/fhir/r5/" + type + "/" + id)
                    .then().statusCode(200).header("ETag", "W/\"2\"");
            given().auth().oauth2(Personas.peter()).when().delete("/fhir/r5/" + type + "/" + id)
                    .then().statusCode(204);
            given().auth().oauth2(Personas.peter()).when().get("/fhir/r5/" + type + "/" + id)
                    .then().statusCode(404);
        }
        // the exchange's own records: read as before, never written
        given().auth().oauth2(Personas.peter()).when().get("/fhir/r5/Patient/40001")
                .then().statusCode(200).body("id", equalTo("40001"));
        given().auth().oauth2(Personas.peter()).contentType("application/fhir+json")
                .body("{\"resourceType\":\"Patient\"}").when().put("/fhir/r5/Patient/40001")
                .then().statusCode(405).body("resourceType", equalTo("OperationOutcome"));
        given().auth().oauth2(Personas.mary()).when().delete("/fhir/r5/Group/30001")
                .then().statusCode(405).body("resourceType", equalTo("OperationOutcome"));
    }
}
