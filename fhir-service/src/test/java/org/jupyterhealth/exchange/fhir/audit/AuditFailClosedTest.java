package org.jupyterhealth.exchange.fhir.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.common.testing.NoAuditBroker;
import org.jupyterhealth.exchange.fhir.support.FakeAdmin;
import org.jupyterhealth.exchange.fhir.support.ObservationStore;
import org.jupyterhealth.exchange.fhir.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * With the broker of audit events unreachable, auditing fails closed (the default): a read of health data is
 * answered 503 in the path's dialect, and nothing of the data is served.
 */
@QuarkusTest
@TestProfile(NoAuditBroker.class)
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(FakeAdmin.class)
@QuarkusTestResource(ObservationStore.class)
class AuditFailClosedTest {

    @Test
    void aReadIsRefusedWith503AndNoDataWhenItCannotBeAudited() {
        given().auth().oauth2(Personas.mary())
                .when().get("/fhir/r5/Observation/60001")
                .then().statusCode(503)
                .header("Retry-After", equalTo("5"))
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("transient"))
                .body(not(containsString("valueAttachment")))
                .body(not(containsString("Patient/40001")));
    }

    @Test
    void aSearchOfTheAdminDialectIsRefusedWith503InThatDialect() {
        given().auth().oauth2(Personas.mary())
                .when().get("/api/v1/observations?patient_id=40001")
                .then().statusCode(503)
                .body("detail", containsString("audit trail is unavailable"))
                .body(not(containsString("results")));
    }

    @Test
    void discoveryIsNotHealthDataAndStillAnswers() {
        given().when().get("/fhir/r5/metadata").then().statusCode(200);
    }
}
