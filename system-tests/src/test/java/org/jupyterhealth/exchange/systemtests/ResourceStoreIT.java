package org.jupyterhealth.exchange.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jupyterhealth.exchange.common.testing.FhirSearch;

import io.restassured.path.json.JsonPath;

/**
 * The FHIR resource store through the gateway of a running stack: a patient app registers a FHIR source and writes
 * through it (the original's request-collection items "Register FHIR Source" and "Create QuestionnaireResponse",
 * sent as the collection sends them), uploads a Bundle mixing an Open mHealth Observation with store resources,
 * reads them back; a practitioner of the patient's organization sees them while the patient consents, not after a
 * revocation; another organization's practitioner is refused; the source's references are indexed; deleting the
 * source deletes its resources. A stored resource is patched by its patient at its version, not by another.
 */
@Order(35)
@ExtendWith(SystemStack.class)
class ResourceStoreIT {
    static final String SOURCE_HEADER = "X-JHE-FHIR-Source-ID";
    static final String SOURCES_URL = "https://jupyterhealth.org/fhir/fhir-source/";

    static String questionnaireResponse(String id, String subject) {
        return "{\"resourceType\":\"QuestionnaireResponse\"," + (id == null ? "" : "\"id\":\"" + id + "\",")
                + "\"status\":\"completed\",\"questionnaire\":\"https://example.org/Questionnaire/phq-2\","
                + "\"authored\":\"2025-10-01T09:00:00Z\"," + (subject == null ? ""
                        : "\"subject\":{\"reference\":\"" + subject + "\"},")
                + "\"item\":[{\"linkId\":\"1\",\"answer\":[{\"valueInteger\":2}]}]}";
    }

    /** "Register FHIR Source" of the original's collection: snake_case, as the collection sends it. */
    static long registerSource(String patient, String label) {
        Number id = given().auth().oauth2(patient).contentType("application/json")
                .body("{\"label\": \"" + label + "\", \"fhir_base_url\": \"https://momentum.example/app/"
                        + UUID.randomUUID() + "\", \"data_source\": 70005}")
                .when().post("/api/v1/fhir_sources")
                .then().statusCode(201).body("id", notNullValue()).extract().path("id");
        return id.longValue();
    }

    static void consentToQuestionnaires(String token, boolean consented) {
        String body = "{\"studyScopeConsents\": [{\"studyId\": 30001, \"scopeConsents\": [{\"codingSystem\": "
                + "\"http://hl7.org/fhir/resource-types\", \"codingCode\": \"QuestionnaireResponse\", "
                + "\"consented\": " + consented + "}]}]}";
        given().auth().oauth2(token).contentType("application/json").body(body)
                .when().patch("/api/v1/patients/40001/consents")
                .then().statusCode(200);
    }

    @Test
    void aPatientAppWritesThroughItsSourceAndPractitionersReadAsTheConsentAllows() {
        String peter = EndToEndIT.passwordToken("ll_patient_peter@example.com");
        String mary = EndToEndIT.passwordToken("manager_mary@example.com");
        String mark = EndToEndIT.passwordToken("manager_mark@example.com");
        long source = registerSource(peter, "Momentum App");

        // "Create QuestionnaireResponse" of the original's collection: the upper-case base, the source header
        String single = given().auth().oauth2(peter).contentType("application/fhir+json")
                .header(SOURCE_HEADER, Long.toString(source)).body(questionnaireResponse(null, null))
                .when().post("/FHIR/R5/QuestionnaireResponse")
                .then().statusCode(201).body("resourceType", equalTo("QuestionnaireResponse"))
                .body("meta.source", equalTo(SOURCES_URL + source))
                .extract().path("id");

        // one Bundle mixing an Open mHealth Observation with the store's resources
        String upstream = "qr-" + UUID.randomUUID();
        String condition = "{\"resourceType\":\"Condition\",\"clinicalStatus\":{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/condition-clinical\",\"code\":\"active\"}]},"
                + "\"code\":{\"text\":\"Hypertension\"},\"subject\":{\"reference\":\"Patient/upstream-peter\"}}";
        String bundle = Uploads.batch(Uploads.entry(40001, Uploads.HEART_RATE, UUID.randomUUID().toString()),
                "{\"resource\":" + questionnaireResponse(upstream, "Patient/upstream-peter")
                        + ",\"request\":{\"method\":\"POST\",\"url\":\"QuestionnaireResponse\"}}",
                "{\"resource\":" + condition + ",\"request\":{\"method\":\"POST\",\"url\":\"Condition\"}}");
        JsonPath answer = given().auth().oauth2(peter).contentType("application/fhir+json")
                .header(SOURCE_HEADER, Long.toString(source)).body(bundle)
                .when().post("/fhir/r5")
                .then().statusCode(200).body("type", equalTo("batch-response")).extract().jsonPath();
        assertThat(answer.getString("entry[0].response.status")).startsWith("201");
        assertThat(answer.getString("entry[1].response.status")).startsWith("201");
        assertThat(answer.getString("entry[1].resource.resourceType")).isEqualTo("QuestionnaireResponse");
        String uploaded = answer.getString("entry[1].resource.id");
        // the demo studies request the Condition scope too, which Peter consented to in 30001
        assertThat(answer.getString("entry[2].response.status")).startsWith("201");
        String conditionId = answer.getString("entry[2].resource.id");
        given().auth().oauth2(mary).when().get("/FHIR/R5/Condition/" + conditionId)
                .then().statusCode(200).body("code.text", equalTo("Hypertension"));
        given().auth().oauth2(mark).when().get("/FHIR/R5/Condition/" + conditionId).then().statusCode(404);

        String bySource = "QuestionnaireResponse?patient=40001&_source=" + SOURCES_URL + source;
        assertThat(FhirSearch.ids(peter, bySource)).containsExactlyInAnyOrder(single, uploaded);
        given().auth().oauth2(peter).when().get("/fhir/r5/QuestionnaireResponse/" + uploaded)
                .then().statusCode(200).body("subject.reference", equalTo("Patient/upstream-peter"));

        // a practitioner of Peter's organization reads them while Peter consents to questionnaires in 30001
        assertThat(FhirSearch.ids(mary, bySource)).containsExactlyInAnyOrder(single, uploaded);
        given().auth().oauth2(mary).when().get("/fhir/r5/QuestionnaireResponse/" + uploaded).then().statusCode(200);
        // another organization's practitioner is refused the patient and reads nothing of it
        given().auth().oauth2(mark).when().get("/fhir/r5/QuestionnaireResponse?patient=40001")
                .then().statusCode(403).body("resourceType", equalTo("OperationOutcome"));
        given().auth().oauth2(mark).when().get("/fhir/r5/QuestionnaireResponse/" + uploaded).then().statusCode(404);
        try {
            consentToQuestionnaires(mary, false);
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                    .until(() -> FhirSearch.ids(mary, bySource).isEmpty());
            given().auth().oauth2(mary).when().get("/fhir/r5/QuestionnaireResponse/" + uploaded)
                    .then().statusCode(404);
            // the patient reads its own whatever it shares
            assertThat(FhirSearch.ids(peter, bySource)).containsExactlyInAnyOrder(single, uploaded);
        } finally {
            consentToQuestionnaires(mary, true);
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> FhirSearch.ids(mary, bySource).size() == 2);

        // the source's references: the unknown upstream patient is marked, nothing else of the source is named
        given().auth().oauth2(mary).when().post("/api/v1/fhir_sources/" + source + "/index_refs")
                .then().statusCode(404).body("detail", equalTo("Not found."));
        given().auth().oauth2(peter).when().post("/api/v1/fhir_sources/" + source + "/index_refs")
                .then().statusCode(200).body("rowsIndexed", equalTo(3)).body("refsRewritten", equalTo(0))
                .body("refsNotFound", equalTo(2));
        given().auth().oauth2(peter).when().get("/fhir/r5/QuestionnaireResponse/" + uploaded)
                .then().statusCode(200).body("subject.reference", equalTo("not-found:upstream-peter"))
                .body("meta.versionId", equalTo("2"));

        // deleting the source deletes what was written through it
        given().auth().oauth2(peter).when().delete("/api/v1/fhir_sources/" + source).then().statusCode(204);
        await().atMost(Duration.ofSeconds(20)).until(() -> FhirSearch.ids(peter, bySource).isEmpty());
        given().auth().oauth2(peter).when().get("/fhir/r5/QuestionnaireResponse/" + single).then().statusCode(404);
        assertThat(List.of(single, uploaded)).doesNotHaveDuplicates();
    }

    /**
     * PATCH of a stored resource through the gateway: by its patient, a new version with its ETag; with a stale
     * If-Match, 412 and nothing written; by another patient, refused (403) and the resource unchanged.
     */
    @Test
    void aPatientPatchesItsStoredResourceAtItsVersionAndAnotherPatientCannot() {
        String peter = EndToEndIT.passwordToken("ll_patient_peter@example.com");
        String pamela = EndToEndIT.passwordToken("ll_patient_pamela@example.com");
        long source = registerSource(peter, "Patching App");
        try {
            String id = given().auth().oauth2(peter).contentType("application/fhir+json")
                    .header(SOURCE_HEADER, Long.toString(source)).body(questionnaireResponse(null, null))
                    .when().post("/fhir/r5/QuestionnaireResponse")
                    .then().statusCode(201).extract().path("id");
            String path = "/fhir/r5/QuestionnaireResponse/" + id;

            given().auth().oauth2(peter).contentType("application/merge-patch+json").header("If-Match", "W/\"1\"")
                    .body("{\"status\": \"amended\"}")
                    .when().patch(path)
                    .then().statusCode(200).header("ETag", "W/\"2\"")
                    .body("status", equalTo("amended")).body("meta.versionId", equalTo("2"))
                    .body("questionnaire", equalTo("https://example.org/Questionnaire/phq-2"));

            given().auth().oauth2(peter).contentType("application/merge-patch+json").header("If-Match", "W/\"1\"")
                    .body("{\"status\": \"completed\"}")
                    .when().patch(path)
                    .then().statusCode(412).body("resourceType", equalTo("OperationOutcome"));
            given().auth().oauth2(pamela).contentType("application/merge-patch+json")
                    .body("{\"status\": \"completed\"}")
                    .when().patch(path)
                    .then().statusCode(403).body("resourceType", equalTo("OperationOutcome"));

            given().auth().oauth2(peter).when().get(path)
                    .then().statusCode(200).header("ETag", "W/\"2\"").body("status", equalTo("amended"));
        } finally {
            given().auth().oauth2(peter).when().delete("/api/v1/fhir_sources/" + source).then().statusCode(204);
        }
    }
}
