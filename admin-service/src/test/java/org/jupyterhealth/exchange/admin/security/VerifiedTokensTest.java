package org.jupyterhealth.exchange.admin.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.common.testing.TestTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A token is verified once and then remembered ({@code VerifiedTokenCache}): each request keeps its own caller, a
 * remembered token stops working when it expires, and an altered copy of it is still refused.
 */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class VerifiedTokensTest {
    private static final String PROFILE = "/api/v1/users/profile";

    @Test
    void repeatedRequestsWithDifferentTokensEachKeepTheirOwnCaller() {
        String admin = TestTokens.superuser(10001, "admin@example.com");
        String mary = TestTokens.practitioner(10002, "manager_mary@example.com");
        for (int round = 0; round < 3; round++) {
            given().auth().oauth2(admin).when().get(PROFILE)
                    .then().statusCode(200).body("id", equalTo(10001)).body("isSuperuser", equalTo(true));
            given().auth().oauth2(mary).when().get(PROFILE)
                    .then().statusCode(200).body("id", equalTo(10002)).body("isSuperuser", equalTo(false));
        }
    }

    @Test
    void aRememberedTokenIsRefusedOnceItExpires() {
        String shortLived = TestTokens.expiringIn(2);
        given().auth().oauth2(shortLived).when().get(PROFILE).then().statusCode(200).body("id", equalTo(10002));

        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                given().auth().oauth2(shortLived).when().get(PROFILE)
                        .then().statusCode(401)
                        .body("detail", equalTo("Authentication credentials were not provided.")));
    }

    @Test
    void anAlteredCopyOfARememberedTokenIsRefused() {
        String token = TestTokens.practitioner(10002, "manager_mary@example.com");
        given().auth().oauth2(token).when().get(PROFILE).then().statusCode(200);

        given().auth().oauth2(TestTokens.tamperedCopyOf(token)).when().get(PROFILE)
                .then().statusCode(401)
                .body("detail", equalTo("Authentication credentials were not provided."));
    }
}
