package org.jupyterhealth.exchange.fhir.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.common.testing.TestRevocations;
import org.jupyterhealth.exchange.common.testing.TestTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A token revoked by identity-service (a record on token-revocations) is refused within 5 seconds. */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
class RevokedTokenTest {

    @Test
    void aRevokedTokenIsRefusedWithin5SecondsWhileOthersStillWork() throws Exception {
        String revoked = TestTokens.patient(10006, "ll_patient_peter@example.com");
        String other = TestTokens.patient(10006, "ll_patient_peter@example.com");
        given().auth().oauth2(revoked).when().get("/fhir/r5/_test-probe").then().statusCode(200);

        TestRevocations.revoke(revoked);

        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                given().auth().oauth2(revoked).when().get("/fhir/r5/_test-probe")
                        .then().statusCode(401)
                        .body("resourceType", equalTo("OperationOutcome"))
                        .body("issue[0].code", equalTo("login")));
        given().auth().oauth2(other).when().get("/fhir/r5/_test-probe").then().statusCode(200);
    }
}
