package org.jupyterhealth.exchange.fhir.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.security.VerifiedTokenCache;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.common.testing.TestTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A token is verified once and then remembered ({@code VerifiedTokenCache}): requests keep their own caller, a
 * remembered token stops working when it expires, and an altered copy of it is still refused.
 */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
class VerifiedTokensTest {
    private static final String PROBE = "/fhir/r5/_test-probe";

    @Inject
    VerifiedTokenCache verified;

    @Test
    void repeatedRequestsWithDifferentTokensEachKeepTheirOwnCallerAndRequest() {
        String peter = TestTokens.patient(10006, "ll_patient_peter@example.com");
        String mary = TestTokens.practitioner(10002, "manager_mary@example.com");
        for (int round = 0; round < 3; round++) {
            given().auth().oauth2(peter).when().get(PROBE)
                    .then().statusCode(200).body("subject", equalTo("10006"))
                    .body("email", equalTo("ll_patient_peter@example.com"))
                    .body("identityOfThisRequest", equalTo("true"));
            given().auth().oauth2(mary).when().get(PROBE)
                    .then().statusCode(200).body("subject", equalTo("10002"))
                    .body("email", equalTo("manager_mary@example.com"))
                    .body("identityOfThisRequest", equalTo("true"));
        }
        assertThat(verified.size()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aRememberedTokenIsRefusedOnceItExpires() {
        String shortLived = TestTokens.expiringIn(2);
        given().auth().oauth2(shortLived).when().get(PROBE).then().statusCode(200);
        given().auth().oauth2(shortLived).when().get(PROBE).then().statusCode(200);

        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                given().auth().oauth2(shortLived).when().get(PROBE)
                        .then().statusCode(401)
                        .body("resourceType", equalTo("OperationOutcome"))
                        .body("issue[0].code", equalTo("login")));
    }

    @Test
    void anAlteredCopyOfARememberedTokenIsRefused() {
        String token = TestTokens.practitioner(10002, "manager_mary@example.com");
        given().auth().oauth2(token).when().get(PROBE).then().statusCode(200);

        given().auth().oauth2(TestTokens.tamperedCopyOf(token)).when().get(PROBE)
                .then().statusCode(401)
                .body("issue[0].code", equalTo("login"));
        given().auth().oauth2(token).when().get(PROBE).then().statusCode(200);
    }
}
