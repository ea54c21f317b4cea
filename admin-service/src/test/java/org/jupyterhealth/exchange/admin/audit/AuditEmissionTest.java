package org.jupyterhealth.exchange.admin.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.Fixtures;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;
import org.jupyterhealth.exchange.common.audit.AuditEvent;
import org.jupyterhealth.exchange.common.testing.TestAuditEvents;
import org.jupyterhealth.exchange.common.testing.TestAuditEvents.Produced;
import org.jupyterhealth.exchange.common.testing.TestTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Every access to a patient record or a consent through admin-service is one audit event, refused ones too, with
 * who, whose and the outcome, and never a token.
 */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
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

    static AuditEvent only(String requestId, String token) {
        List<Produced> produced = events.of(requestId);
        assertThat(produced).as("events of request " + requestId).hasSize(1);
        assertThat(produced.get(0).value()).doesNotContain(token).doesNotContain(token.split("\\.")[1]);
        return produced.get(0).event();
    }

    @Test
    void readingAPatientRecordIsOneEvent() {
        String requestId = TestAuditEvents.requestId();
        given().auth().oauth2(Personas.mary()).header("X-Request-Id", requestId)
                .when().get("/api/v1/patients/40001").then().statusCode(200);

        AuditEvent event = only(requestId, Personas.mary());
        assertThat(event.service()).isEqualTo("admin-service");
        assertThat(event.action()).isEqualTo("read");
        assertThat(event.resourceType()).isEqualTo("Patient");
        assertThat(event.resourceIds()).containsExactly("40001");
        assertThat(event.patientIds()).containsExactly(40001L);
        assertThat(event.outcome()).isEqualTo("success");
        assertThat(event.role()).isEqualTo("practitioner");
    }

    @Test
    void aRefusedReadIsOneRefusedEvent() {
        String requestId = TestAuditEvents.requestId();
        given().auth().oauth2(Personas.peter()).header("X-Request-Id", requestId)
                .when().get("/api/v1/patients/40002").then().statusCode(403);

        AuditEvent event = only(requestId, Personas.peter());
        assertThat(event.action()).isEqualTo("read");
        assertThat(event.outcome()).isEqualTo("refused");
        assertThat(event.status()).isEqualTo(403);
        assertThat(event.patientIds()).containsExactly(40002L);
        assertThat(event.role()).isEqualTo("patient");
    }

    @Test
    void theListIsOneSearchEventNamingThePatientsListed() {
        String requestId = TestAuditEvents.requestId();
        given().auth().oauth2(Personas.megan()).header("X-Request-Id", requestId)
                .when().get("/api/v1/patients?organization_id=20003").then().statusCode(200);

        AuditEvent event = only(requestId, Personas.megan());
        assertThat(event.action()).isEqualTo("search");
        assertThat(event.query()).isEqualTo("organization_id=20003");
        assertThat(event.count()).isEqualTo(2);
        assertThat(event.patientIds()).containsExactly(40001L, 40002L);
    }

    @Test
    void aConsentChangeIsOneConsentEvent() {
        long org = Fixtures.organization();
        long study = Fixtures.study(org, 50004, 50002);
        long patient = Fixtures.patient(org);
        Fixtures.enrol(study, patient);
        Number userId = given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients/" + patient)
                .then().extract().path("jheUserId");
        String token = TestTokens.patient(userId.longValue(), "p@example.org");
        String requestId = TestAuditEvents.requestId();

        given().auth().oauth2(token).header("X-Request-Id", requestId).contentType(ContentType.JSON)
                .body(Fixtures.consents(study, "omh:heart-rate:2.0", true))
                .when().post("/api/v1/patients/" + patient + "/consents").then().statusCode(201);

        AuditEvent event = only(requestId, token);
        assertThat(event.action()).isEqualTo("consent");
        assertThat(event.resourceType()).isEqualTo("Consent");
        assertThat(event.patientIds()).containsExactly(patient);
        assertThat(event.status()).isEqualTo(201);
        assertThat(event.userId()).isEqualTo(userId.longValue());
    }

    @Test
    void recordsOtherThanPatientsAreNotAudited() {
        String requestId = TestAuditEvents.requestId();
        given().auth().oauth2(Personas.mary()).header("X-Request-Id", requestId)
                .when().get("/api/v1/organizations/20003").then().statusCode(200);

        assertThat(events.all().stream().filter(p -> requestId.equals(p.event().requestId()))).isEmpty();
    }
}
