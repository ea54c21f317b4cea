package org.jupyterhealth.exchange.fhir.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

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

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every access to health data through fhir-service is one audit event on topic audit-events, with who, what,
 * whose, where and the outcome; refused accesses too; and never the token or the data itself.
 */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(FakeAdmin.class)
@QuarkusTestResource(ObservationStore.class)
class AuditEmissionTest {
    static TestAuditEvents events;

    @BeforeAll
    static void listen() {
        events = new TestAuditEvents();
    }

    @AfterAll
    static void stop() {
        events.close();
    }

    /** The one event of a request, checked for what must never be in one. */
    static AuditEvent only(String requestId, String token) {
        List<Produced> produced = events.of(requestId);
        assertThat(produced).as("events of request " + requestId).hasSize(1);
        Produced one = produced.get(0);
        assertThat(one.value()).doesNotContain(token).doesNotContain(token.split("\\.")[1])
                .doesNotContain("valueAttachment").doesNotContain("systolic").doesNotContain("header");
        assertThat(one.key()).isEqualTo(one.event().key());
        return one.event();
    }

    @Test
    void aReadIsOneEventNamingTheObservationItsPatientAndTheReader() {
        String requestId = TestAuditEvents.requestId();
        String token = Personas.mary();

        given().auth().oauth2(token).header("X-Request-Id", requestId)
                .when().get("/fhir/r5/Observation/60001")
                .then().statusCode(200);

        AuditEvent event = only(requestId, token);
        assertThat(event.service()).isEqualTo("fhir-service");
        assertThat(event.action()).isEqualTo("read");
        assertThat(event.outcome()).isEqualTo("success");
        assertThat(event.status()).isEqualTo(200);
        assertThat(event.resourceType()).isEqualTo("Observation");
        assertThat(event.resourceIds()).containsExactly("60001");
        assertThat(event.patientIds()).containsExactly(40001L);
        assertThat(event.userId()).isEqualTo(10002L);
        assertThat(event.role()).isEqualTo("practitioner");
        assertThat(event.clientId()).isEqualTo("test-client");
        assertThat(event.clientAddress()).isNotBlank();
        assertThat(event.count()).isEqualTo(1);
    }

    @Test
    void aSearchIsOneEventWithItsQueryItsCountAndThePatientsItReturned() {
        String requestId = TestAuditEvents.requestId();
        String token = Personas.mary();

        int returned = given().auth().oauth2(token).header("X-Request-Id", requestId)
                .when().get("/fhir/r5/Observation?patient=40001&_count=50")
                .then().statusCode(200).extract().jsonPath().getList("entry").size();

        AuditEvent event = only(requestId, token);
        assertThat(event.action()).isEqualTo("search");
        assertThat(event.query()).isEqualTo("patient=40001&_count=50");
        assertThat(event.count()).isEqualTo(returned).isPositive();
        assertThat(event.patientIds()).containsExactly(40001L);
        assertThat(event.resourceIds()).isEmpty();
    }

    @Test
    void aRefusedSearchIsOneRefusedEvent() {
        String requestId = TestAuditEvents.requestId();
        String token = Personas.mary();

        given().auth().oauth2(token).header("X-Request-Id", requestId)
                .when().get("/fhir/r5/Observation?patient=40003")
                .then().statusCode(403);

        AuditEvent event = only(requestId, token);
        assertThat(event.action()).isEqualTo("search");
        assertThat(event.outcome()).isEqualTo("refused");
        assertThat(event.status()).isEqualTo(403);
        assertThat(event.count()).isNull();
        assertThat(event.userId()).isEqualTo(10002L);
    }

    @Test
    void aPatientReadingItsOwnRecordIsOneEventAboutItself() {
        String requestId = TestAuditEvents.requestId();
        String token = Personas.peter();

        given().auth().oauth2(token).header("X-Request-Id", requestId)
                .when().get("/fhir/r5/Patient/40001")
                .then().statusCode(200);

        AuditEvent event = only(requestId, token);
        assertThat(event.action()).isEqualTo("read");
        assertThat(event.resourceType()).isEqualTo("Patient");
        assertThat(event.patientIds()).containsExactly(40001L);
        assertThat(event.role()).isEqualTo("patient");
        assertThat(event.userId()).isEqualTo(10006L);
    }

    @Test
    void theAdminObservationListIsOneSearchEvent() {
        String requestId = TestAuditEvents.requestId();
        String token = Personas.mary();

        given().auth().oauth2(token).header("X-Request-Id", requestId)
                .when().get("/api/v1/observations?patient_id=40001")
                .then().statusCode(200);

        AuditEvent event = only(requestId, token);
        assertThat(event.action()).isEqualTo("search");
        assertThat(event.patientIds()).containsExactly(40001L);
        assertThat(event.query()).isEqualTo("patient_id=40001");
    }

    @Test
    void directoryAndDiscoveryRequestsAreNotHealthDataAccesses() {
        String requestId = TestAuditEvents.requestId();

        given().header("X-Request-Id", requestId).when().get("/fhir/r5/metadata").then().statusCode(200);

        assertThat(events.all().stream().filter(p -> requestId.equals(p.event().requestId()))).isEmpty();
    }
}
