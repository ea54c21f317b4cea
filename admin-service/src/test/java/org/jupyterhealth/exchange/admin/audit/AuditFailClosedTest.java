package org.jupyterhealth.exchange.admin.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.Fixtures;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;
import org.jupyterhealth.exchange.admin.support.TestDatabase;
import org.jupyterhealth.exchange.common.testing.NoAuditBroker;
import org.jupyterhealth.exchange.common.testing.TestAuditEvents;
import org.jupyterhealth.exchange.common.testing.TestTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * With the broker of audit events unreachable (auditing fails closed, the default): a read of a patient record is
 * refused with 503 and no data; a change is committed and answered, and its event waits in the spool, without the
 * caller's token.
 */
@QuarkusTest
@TestProfile(NoAuditBroker.class)
@QuarkusTestResource(IdentityStandIn.class)
class AuditFailClosedTest {

    @Test
    void aReadIsRefusedWith503AndNoData() {
        given().auth().oauth2(Personas.mary())
                .when().get("/api/v1/patients/40001")
                .then().statusCode(503)
                .header("Retry-After", equalTo("5"))
                .body("detail", containsString("audit trail is unavailable"))
                .body(not(containsString("40001")));
    }

    @Test
    void aConsentChangeIsCommittedAndItsEventWaitsInTheSpool() {
        long org = Fixtures.organization();
        long study = Fixtures.study(org, 50004, 50002);
        long patient = Fixtures.patient(org);
        Fixtures.enrol(study, patient);
        long userId = TestDatabase.number("SELECT jhe_user_id FROM admin.patient WHERE id = " + patient);
        String token = TestTokens.patient(userId, "p@example.org");
        String requestId = TestAuditEvents.requestId();

        given().auth().oauth2(token).header("X-Request-Id", requestId).contentType(ContentType.JSON)
                .body(Fixtures.consents(study, "omh:heart-rate:2.0", true))
                .when().post("/api/v1/patients/" + patient + "/consents").then().statusCode(201);

        assertThat(TestDatabase.number("SELECT count(*) FROM admin.audit_spool WHERE event_key = '" + patient
                + "' AND payload LIKE '%" + requestId + "%' AND payload LIKE '%\"consent\"%'")).isEqualTo(1);
        assertThat(TestDatabase.number("SELECT count(*) FROM admin.audit_spool WHERE payload LIKE '%"
                + token.split("\\.")[1] + "%'")).isZero();
        assertThat(TestDatabase.number("SELECT count(*) FROM admin.study_patient_scope_consent c JOIN admin.study_patient sp "
                + "ON sp.id = c.study_patient_id WHERE sp.patient_id = " + patient)).isPositive();
    }
}
