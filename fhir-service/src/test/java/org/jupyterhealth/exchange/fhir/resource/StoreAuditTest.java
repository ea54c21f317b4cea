package org.jupyterhealth.exchange.fhir.resource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.audit.AuditEvent;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.common.testing.TestAuditEvents;
import org.jupyterhealth.exchange.common.testing.TestAuditEvents.Produced;
import org.jupyterhealth.exchange.fhir.support.FakeAdmin;
import org.jupyterhealth.exchange.fhir.support.ObservationStore;
import org.jupyterhealth.exchange.fhir.support.Personas;
import org.jupyterhealth.exchange.fhir.upload.StandInIngest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every read, search and write of the FHIR resource store is one audit event, as for Observations: the type, the
 * ids, whose resources they are, the count returned and the query; refused and failed ones as they were asked; and
 * never the resource itself.
 */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(FakeAdmin.class)
@QuarkusTestResource(ObservationStore.class)
@QuarkusTestResource(StandInIngest.class)
class StoreAuditTest {
    static TestAuditEvents events;

    @BeforeAll
    static void listen() {
        events = new TestAuditEvents();
    }

    @AfterAll
    static void stop() {
        events.close();
    }

    /** The one event of a request, checked for what must never be in one: the token and the resource. */
    static AuditEvent only(String requestId, String token, String... content) {
        List<Produced> produced = events.of(requestId);
        assertThat(produced).as("events of request " + requestId).hasSize(1);
        Produced one = produced.get(0);
        assertThat(one.value()).doesNotContain(token).doesNotContain(token.split("\\.")[1])
                .doesNotContain("authored").doesNotContain("2025-03-0").doesNotContain("completed");
        for (String text : content) {
            assertThat(one.value()).doesNotContain(text);
        }
        return one.event();
    }

    static String questionnaire() {
        return "https://example.org/Questionnaire/audit-" + UUID.randomUUID();
    }

    @Test
    void aReadIsOneEventNamingTheResourceAndItsPatient() {
        String questionnaire = questionnaire();
        String id = StoreResourceTest.questionnaireResponse(40001, 90001, "completed", "2025-03-01T10:00:00Z",
                questionnaire);
        String requestId = TestAuditEvents.requestId();
        String token = Personas.mary();

        given().auth().oauth2(token).header("X-Request-Id", requestId)
                .when().get("/fhir/r5/QuestionnaireResponse/" + id)
                .then().statusCode(200);

        AuditEvent event = only(requestId, token, questionnaire);
        assertThat(event.action()).isEqualTo("read");
        assertThat(event.outcome()).isEqualTo("success");
        assertThat(event.resourceType()).isEqualTo("QuestionnaireResponse");
        assertThat(event.resourceIds()).containsExactly(id);
        assertThat(event.patientIds()).containsExactly(40001L);
        assertThat(event.count()).isEqualTo(1);
        assertThat(event.userId()).isEqualTo(10002L);
    }

    @Test
    void aReadOfWhatTheCallerMayNotSeeIsOneEventNamingNobody() {
        String questionnaire = questionnaire();
        String id = StoreResourceTest.questionnaireResponse(40001, 90001, "completed", "2025-03-01T10:00:00Z",
                questionnaire);
        String requestId = TestAuditEvents.requestId();
        String token = Personas.pamela();

        given().auth().oauth2(token).header("X-Request-Id", requestId)
                .when().get("/fhir/r5/QuestionnaireResponse/" + id)
                .then().statusCode(404);

        AuditEvent event = only(requestId, token, questionnaire);
        assertThat(event.action()).isEqualTo("read");
        assertThat(event.status()).isEqualTo(404);
        assertThat(event.resourceIds()).containsExactly(id);
        assertThat(event.patientIds()).isEmpty();
        assertThat(event.count()).isNull();
    }

    @Test
    void aSearchIsOneEventWithItsQueryItsCountAndThePatientsItReturned() {
        String questionnaire = questionnaire();
        StoreResourceTest.questionnaireResponse(40001, 90001, "completed", "2025-03-01T10:00:00Z", questionnaire);
        StoreResourceTest.questionnaireResponse(40001, 90001, "completed", "2025-03-02T10:00:00Z", questionnaire);
        String requestId = TestAuditEvents.requestId();
        String token = Personas.mary();
        String query = "patient=40001&questionnaire=" + questionnaire + "&_count=50";

        int returned = given().auth().oauth2(token).header("X-Request-Id", requestId).urlEncodingEnabled(false)
                .when().get("/fhir/r5/QuestionnaireResponse?" + query)
                .then().statusCode(200).extract().jsonPath().getList("entry").size();

        // the query names the questionnaire; the event has nothing else of the resources
        AuditEvent event = only(requestId, token);
        assertThat(returned).isEqualTo(2);
        assertThat(event.action()).isEqualTo("search");
        assertThat(event.resourceType()).isEqualTo("QuestionnaireResponse");
        assertThat(event.query()).isEqualTo(query);
        assertThat(event.count()).isEqualTo(returned);
        assertThat(event.patientIds()).containsExactly(40001L);
        assertThat(event.resourceIds()).isEmpty();
    }

    @Test
    void aCreateAnUpdateAndADeleteAreOneEventEachNamingTheResourceAndItsPatient() {
        String questionnaire = questionnaire();
        String body = StoreWriteTest.QR.replace("https://example.org/Questionnaire/phq-9", questionnaire);
        String token = Personas.peter();

        String createRequest = TestAuditEvents.requestId();
        String id = given().auth().oauth2(token).header("X-Request-Id", createRequest)
                .header("X-JHE-FHIR-Source-ID", "90001").contentType("application/fhir+json").body(body)
                .when().post("/fhir/r5/QuestionnaireResponse")
                .then().statusCode(201).extract().jsonPath().getString("id");

        AuditEvent created = only(createRequest, token, questionnaire);
        assertThat(created.action()).isEqualTo("create");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.resourceType()).isEqualTo("QuestionnaireResponse");
        assertThat(created.resourceIds()).containsExactly(id);
        assertThat(created.patientIds()).containsExactly(40001L);
        assertThat(created.count()).isEqualTo(1);
        assertThat(created.role()).isEqualTo("patient");

        String updateRequest = TestAuditEvents.requestId();
        given().auth().oauth2(token).header("X-Request-Id", updateRequest).header("If-Match", "W/\"1\"")
                .contentType("application/fhir+json").body(body.replace("completed", "amended"))
                .when().put("/fhir/r5/QuestionnaireResponse/" + id)
                .then().statusCode(200);
        AuditEvent updated = only(updateRequest, token, questionnaire, "amended");
        assertThat(updated.action()).isEqualTo("update");
        assertThat(updated.resourceIds()).containsExactly(id);
        assertThat(updated.patientIds()).containsExactly(40001L);
        assertThat(updated.count()).isEqualTo(1);

        String refusedRequest = TestAuditEvents.requestId();
        given().auth().oauth2(Personas.pamela()).header("X-Request-Id", refusedRequest)
                .when().delete("/fhir/r5/QuestionnaireResponse/" + id)
                .then().statusCode(403);
        AuditEvent refused = only(refusedRequest, Personas.pamela(), questionnaire);
        assertThat(refused.action()).isEqualTo("delete");
        assertThat(refused.outcome()).isEqualTo("refused");
        assertThat(refused.resourceIds()).containsExactly(id);
        assertThat(refused.patientIds()).isEmpty();

        String deleteRequest = TestAuditEvents.requestId();
        given().auth().oauth2(token).header("X-Request-Id", deleteRequest)
                .when().delete("/fhir/r5/QuestionnaireResponse/" + id)
                .then().statusCode(204);
        AuditEvent deleted = only(deleteRequest, token, questionnaire);
        assertThat(deleted.action()).isEqualTo("delete");
        assertThat(deleted.outcome()).isEqualTo("success");
        assertThat(deleted.resourceIds()).containsExactly(id);
        assertThat(deleted.patientIds()).containsExactly(40001L);
    }

    @Test
    void aCreateOfAStoredObservationIsOneEventNamingItAndItsPatient() {
        String requestId = TestAuditEvents.requestId();
        String token = Personas.peter();
        String body = "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{"
                + "\"system\":\"http://loinc.org\",\"code\":\"8867-4\"}]},\"valueQuantity\":{\"value\":71.5,"
                + "\"unit\":\"/min\"}}";

        String id = given().auth().oauth2(token).header("X-Request-Id", requestId)
                .header("X-JHE-FHIR-Source-ID", "90001").contentType("application/fhir+json").body(body)
                .when().post("/fhir/r5/Observation")
                .then().statusCode(201).extract().header("Location").replaceFirst(".*/Observation/([^/]+)/.*", "$1");

        AuditEvent event = only(requestId, token, "8867-4", "71.5");
        assertThat(event.action()).isEqualTo("create");
        assertThat(event.resourceType()).isEqualTo("Observation");
        assertThat(event.resourceIds()).containsExactly(id);
        assertThat(event.patientIds()).containsExactly(40001L);
        assertThat(event.count()).isEqualTo(1);
    }

    @Test
    void aRefusedCreateIsOneEventAsItWasAsked() {
        String requestId = TestAuditEvents.requestId();
        String token = Personas.peter();

        given().auth().oauth2(token).header("X-Request-Id", requestId).header("X-JHE-FHIR-Source-ID", "90001")
                .contentType("application/fhir+json").body("{\"resourceType\":\"QuestionnaireResponse\"}")
                .when().post("/fhir/r5/QuestionnaireResponse")
                .then().statusCode(400);

        AuditEvent event = only(requestId, token);
        assertThat(event.action()).isEqualTo("create");
        assertThat(event.status()).isEqualTo(400);
        assertThat(event.resourceType()).isEqualTo("QuestionnaireResponse");
        assertThat(event.resourceIds()).isEmpty();
        assertThat(event.count()).isNull();
    }
}
