package org.jupyterhealth.exchange.fhir.upload;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.common.testing.TestTokens;
import org.jupyterhealth.exchange.common.upload.UploadEnvelope;
import org.jupyterhealth.exchange.fhir.support.ObservationStore;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The delete endpoints of fhir-service, in both dialects, against the real broker and database with a stand-in for
 * ingest-service: a patient's deletion is produced as a {@code delete} envelope keyed by the observation's patient
 * and answered from its outcome; practitioners, unknown observations and callers without a token are refused before
 * anything is produced.
 */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(ObservationStore.class)
@QuarkusTestResource(StandInIngest.class)
class ObservationDeleteTest {
    static final String PETER = TestTokens.patient(10006, "ll_patient_peter@example.com");
    static final String MARY = TestTokens.practitioner(10002, "mary@example.com");
    static final String SUPERUSER = TestTokens.superuser(10001, "sam@example.com");

    @AfterEach
    void answerEverything() {
        StandInIngest.UNAVAILABLE.set(false);
    }

    static List<ConsumerRecord<String, String>> producedSince(int before) {
        return List.copyOf(StandInIngest.RECEIVED.subList(before, StandInIngest.RECEIVED.size()));
    }

    @Test
    void aPatientsDeletionIsProducedKeyedByTheObservationsPatientAndAnswered204() {
        long id = ObservationStore.insert(40002, "omh:heart-rate:2.0");
        int before = StandInIngest.RECEIVED.size();

        given().auth().oauth2(PETER)
                .when().delete("/fhir/r5/Observation/" + id)
                .then().statusCode(204).body(equalTo(""));

        List<ConsumerRecord<String, String>> produced = producedSince(before);
        assertThat(produced).hasSize(1);
        assertThat(produced.get(0).key()).isEqualTo("40002");
        UploadEnvelope deletion = UploadResourceTest.readEnvelope(produced.get(0));
        assertThat(deletion.bundleType()).isEqualTo("delete");
        assertThat(deletion.uploaderUserId()).isEqualTo(10006);
        assertThat(deletion.entries()).hasSize(1);
        assertThat(deletion.entries().get(0).method()).isEqualTo("DELETE");
        assertThat(deletion.entries().get(0).url()).isEqualTo("Observation/" + id);
        assertThat(deletion.entries().get(0).resource() == null || deletion.entries().get(0).resource().isNull())
                .isTrue();
    }

    @Test
    void theAdminDialectDeletesToo() {
        long id = ObservationStore.insert(40001, "omh:heart-rate:2.0");

        given().auth().oauth2(PETER)
                .when().delete("/api/v1/observations/" + id)
                .then().statusCode(204);
        // the stand-in has deleted it: a second deletion finds nothing to delete
        given().auth().oauth2(PETER)
                .when().delete("/api/v1/observations/" + id)
                .then().statusCode(404).body("detail", equalTo("Observation/" + id
                        + " is not an observation of yours."));
    }

    @Test
    void practitionersAndSuperusersMayNotDeleteAndNothingIsProduced() {
        long id = ObservationStore.insert(40001, "omh:heart-rate:2.0");
        int before = StandInIngest.RECEIVED.size();

        given().auth().oauth2(MARY)
                .when().delete("/fhir/r5/Observation/" + id)
                .then().statusCode(403).contentType(startsWith("application/fhir+json"))
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("forbidden"))
                .body("issue[0].diagnostics", equalTo("Only the patient an observation belongs to can delete it."));
        given().auth().oauth2(SUPERUSER)
                .when().delete("/api/v1/observations/" + id)
                .then().statusCode(403)
                .body("detail", equalTo("Only the patient an observation belongs to can delete it."));

        assertThat(producedSince(before)).isEmpty();
    }

    @Test
    void anUnknownOrMalformedIdIs404AndNothingIsProduced() {
        int before = StandInIngest.RECEIVED.size();

        given().auth().oauth2(PETER)
                .when().delete("/fhir/r5/Observation/987654321")
                .then().statusCode(404).body("issue[0].code", equalTo("not-found"));
        given().auth().oauth2(PETER)
                .when().delete("/api/v1/observations/not-an-id")
                .then().statusCode(404).body("detail", startsWith("Observation/not-an-id"));

        assertThat(producedSince(before)).isEmpty();
    }

    @Test
    void withoutADecisionNothingIsDeletedAndTheAnswerIs503() {
        long id = ObservationStore.insert(40001, "omh:heart-rate:2.0");
        StandInIngest.UNAVAILABLE.set(true);

        given().auth().oauth2(PETER)
                .when().delete("/fhir/r5/Observation/" + id)
                .then().statusCode(503).body("issue[0].code", equalTo("transient"));
    }

    @Test
    void withoutAValidTokenTheAnswerIs401() {
        long id = ObservationStore.insert(40001, "omh:heart-rate:2.0");

        given().when().delete("/fhir/r5/Observation/" + id).then().statusCode(401);
        given().auth().oauth2(TestTokens.expired())
                .when().delete("/api/v1/observations/" + id)
                .then().statusCode(401);
    }
}
