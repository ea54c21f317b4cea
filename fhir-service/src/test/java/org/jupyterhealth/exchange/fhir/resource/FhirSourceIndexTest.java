package org.jupyterhealth.exchange.fhir.resource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.common.testing.TestTokens;
import org.jupyterhealth.exchange.common.upload.UploadEnvelope;
import org.jupyterhealth.exchange.fhir.support.ObservationStore;
import org.jupyterhealth.exchange.fhir.upload.StandInIngest;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code POST /api/v1/fhir_sources/{id}/index_refs}: the source's patient's request is produced as an
 * {@code index-refs} envelope keyed by the patient's user and answered with what ingest-service (a stand-in here)
 * did; anyone else, and a caller without a token, is refused in the admin dialect.
 */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(ObservationStore.class)
@QuarkusTestResource(StandInIngest.class)
class FhirSourceIndexTest {
    static final String PETER = TestTokens.patient(10006, "ll_patient_peter@example.com");
    static final String PAMELA = TestTokens.patient(10007, "ll_patient_pamela@example.com");
    static final String MARY = TestTokens.practitioner(10002, "mary@example.com");
    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    @AfterEach
    void answerEverything() {
        StandInIngest.UNAVAILABLE.set(false);
    }

    static List<ConsumerRecord<String, String>> producedSince(int before) {
        return List.copyOf(StandInIngest.RECEIVED.subList(before, StandInIngest.RECEIVED.size()));
    }

    static UploadEnvelope readEnvelope(ConsumerRecord<String, String> record) {
        try {
            return JSON.readValue(record.value(), UploadEnvelope.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theSourcesPatientIndexesItAndIsAnsweredWhatWasDone() {
        StoreResourceTest.questionnaireResponse(40001, 90001, "completed", "2025-10-01T00:00:00Z",
                "https://example.org/Questionnaire/index");
        int before = StandInIngest.RECEIVED.size();

        int rows = given().auth().oauth2(PETER)
                .when().post("/api/v1/fhir_sources/90001/index_refs")
                .then().statusCode(200).contentType("application/json")
                .body("refsRewritten", equalTo(0)).body("refsNotFound", equalTo(0))
                .extract().path("rowsIndexed");
        assertThat(rows).isPositive();

        List<ConsumerRecord<String, String>> produced = producedSince(before);
        assertThat(produced).hasSize(1);
        assertThat(produced.get(0).key()).isEqualTo("10006");
        UploadEnvelope request = readEnvelope(produced.get(0));
        assertThat(request.bundleType()).isEqualTo("index-refs");
        assertThat(request.uploaderUserId()).isEqualTo(10006);
        assertThat(request.entries()).hasSize(1);
        assertThat(request.entries().get(0).method()).isEqualTo("POST");
        assertThat(request.entries().get(0).url()).isEqualTo("FhirSource/90001");
        assertThat(request.entries().get(0).fhirSourceId()).isEqualTo(90001L);
    }

    @Test
    void anotherPatientsSourceIsNotFoundAndAPractitionerAsksNothing() {
        given().auth().oauth2(PAMELA)
                .when().post("/api/v1/fhir_sources/90001/index_refs")
                .then().statusCode(404).body("detail", equalTo("Not found."));

        int before = StandInIngest.RECEIVED.size();
        given().auth().oauth2(MARY)
                .when().post("/api/v1/fhir_sources/90001/index_refs")
                .then().statusCode(404).body("detail", equalTo("Not found."));
        given().auth().oauth2(PETER)
                .when().post("/api/v1/fhir_sources/not-a-number/index_refs")
                .then().statusCode(404).body("detail", equalTo("Not found."));
        assertThat(producedSince(before)).isEmpty();
    }

    @Test
    void withoutAnAnswerFromAdminServiceNothingIsIndexed() {
        StandInIngest.UNAVAILABLE.set(true);
        given().auth().oauth2(PETER)
                .when().post("/api/v1/fhir_sources/90001/index_refs")
                .then().statusCode(503).body("detail", equalTo(
                        "The indexing cannot be decided at the moment; nothing was changed. Try again later."));
    }

    @Test
    void withoutAValidTokenTheRequestIsRefused() {
        given().when().post("/api/v1/fhir_sources/90001/index_refs")
                .then().statusCode(401).body("detail", equalTo("Authentication credentials were not provided."));
        given().auth().oauth2("not-a-token").when().post("/api/v1/fhir_sources/90001/index_refs")
                .then().statusCode(401);
    }
}
