package org.jupyterhealth.exchange.identity.oauth;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.jupyterhealth.exchange.identity.support.Tokens.form;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.identity.support.IdentityFixtures;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * Password guessing at the token endpoint: 5 failures for an account or 20 from an address within 15 minutes
 * lock it for 15 minutes (429 with Retry-After), even with the right password; a success resets the account.
 */
@QuarkusTest
class BruteForceTest {

    @Inject
    IdentityFixtures fixtures;

    @BeforeEach
    void client() {
        fixtures.publicClient("bf-app", "password");
    }

    private static ValidatableResponse attempt(String email, String password, String address) {
        return form().header("X-Forwarded-For", address)
                .formParam("grant_type", "password").formParam("client_id", "bf-app")
                .formParam("username", email).formParam("password", password)
                .when().post("/o/token/")
                .then();
    }

    @Test
    void anAccountIsLockedAfterFiveFailuresEvenForTheRightPassword() {
        fixtures.practitioner("bf.locked@example.com", true);
        for (int i = 0; i < 5; i++) {
            attempt("bf.locked@example.com", "wrong-" + i, "10.1.0." + i).statusCode(400);
        }

        attempt("bf.locked@example.com", IdentityFixtures.PASSWORD, "10.1.0.99")
                .statusCode(429)
                .header("Retry-After", matchesPattern("[1-9][0-9]*"))
                .header("Cache-Control", "no-store")
                .body("error", equalTo("temporarily_unavailable"));
    }

    @Test
    void anUnknownAccountIsLockedTheSameWaySoThatRefusalsRevealNothing() {
        for (int i = 0; i < 5; i++) {
            attempt("bf.nobody@example.com", "wrong-" + i, "10.2.0." + i)
                    .statusCode(400).body("error_description", equalTo("Invalid credentials given."));
        }

        attempt("bf.nobody@example.com", "wrong", "10.2.0.99").statusCode(429);
    }

    @Test
    void aSuccessfulSignInResetsTheAccountsCount() {
        fixtures.practitioner("bf.reset@example.com", true);
        for (int i = 0; i < 4; i++) {
            attempt("bf.reset@example.com", "wrong-" + i, "10.3.0." + i).statusCode(400);
        }
        attempt("bf.reset@example.com", IdentityFixtures.PASSWORD, "10.3.0.50").statusCode(200);
        for (int i = 0; i < 4; i++) {
            attempt("BF.Reset@example.com", "wrong-" + i, "10.3.1." + i).statusCode(400);
        }

        attempt("bf.reset@example.com", IdentityFixtures.PASSWORD, "10.3.0.51").statusCode(200);
    }

    @Test
    void anAddressIsLockedAfterTwentyFailuresWhateverTheAccounts() {
        fixtures.practitioner("bf.victim@example.com", true);
        for (int i = 0; i < 20; i++) {
            attempt("bf.spray" + i + "@example.com", "wrong", "10.4.0.1").statusCode(400);
        }

        attempt("bf.victim@example.com", IdentityFixtures.PASSWORD, "10.4.0.1").statusCode(429);
        attempt("bf.victim@example.com", IdentityFixtures.PASSWORD, "10.4.0.2").statusCode(200);
    }

    @Test
    void theGatewaysLastForwardedAddressCountsNotOneTheClientMadeUp() {
        fixtures.practitioner("bf.forged@example.com", true);
        for (int i = 0; i < 20; i++) {
            attempt("bf.forger" + i + "@example.com", "wrong", "203.0.113." + i + ", 10.5.0.1").statusCode(400);
        }

        attempt("bf.forged@example.com", IdentityFixtures.PASSWORD, "198.51.100.7, 10.5.0.1").statusCode(429);
    }
}
