package org.jupyterhealth.exchange.admin.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.common.testing.TestRevocations;
import org.jupyterhealth.exchange.common.testing.TestTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A token revoked by identity-service (a record on token-revocations) is refused within 5 seconds. */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class RevokedTokenTest {

    @Test
    void aRevokedTokenIsRefusedWithin5SecondsWhileOthersStillWork() throws Exception {
        String revoked = TestTokens.practitioner(10002, "manager_mary@example.com");
        String other = TestTokens.practitioner(10002, "manager_mary@example.com");
        given().auth().oauth2(revoked).when().get("/api/v1/users/profile").then().statusCode(200);

        TestRevocations.revoke(revoked);

        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                given().auth().oauth2(revoked).when().get("/api/v1/users/profile")
                        .then().statusCode(401)
                        .body("detail", equalTo("Authentication credentials were not provided.")));
        given().auth().oauth2(other).when().get("/api/v1/users/profile").then().statusCode(200);
    }
}
