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
 * Guessing client secrets at the token, introspection and revocation endpoints: 10 failures for a client id or 20
 * (with failed sign-ins) from an address within 15 minutes lock it for 15 minutes (429, Retry-After), even for the
 * right secret. The exchange's own service clients are locked by address only.
 */
@QuarkusTest
class ClientAuthenticationThrottleTest {
    private static final String SECRET = "throttle-secret-0123456789abcdef";

    @Inject
    IdentityFixtures fixtures;

    @BeforeEach
    void clients() {
        fixtures.confidentialClient("throttled-robot", SECRET, "password");
        fixtures.confidentialClient("throttle-bystander", SECRET, "password");
    }

    /** A revocation of a token that does not exist: 200 once the client is authenticated. */
    private static ValidatableResponse revoke(String clientId, String secret, String address) {
        return form().auth().preemptive().basic(clientId, secret).header("X-Forwarded-For", address)
                .formParam("token", "no-such-token")
                .when().post("/o/revoke_token/").then();
    }

    private static ValidatableResponse introspect(String clientId, String secret, String address) {
        return form().auth().preemptive().basic(clientId, secret).header("X-Forwarded-For", address)
                .formParam("token", "no-such-token")
                .when().post("/o/introspect/").then();
    }

    private static ValidatableResponse token(String clientId, String secret, String address) {
        return form().header("X-Forwarded-For", address)
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", clientId).formParam("client_secret", secret)
                .when().post("/o/token/").then();
    }

    @Test
    void aClientIdIsLockedAfterTenWrongSecretsAtAnyEndpointEvenForTheRightSecret() {
        for (int i = 0; i < 10; i++) {
            String address = "10.120.0." + i;
            ValidatableResponse refused = switch (i % 3) {
                case 0 -> token("throttled-robot", "guess-" + i, address);
                case 1 -> introspect("throttled-robot", "guess-" + i, address);
                default -> revoke("throttled-robot", "guess-" + i, address);
            };
            refused.statusCode(401).body("error", equalTo("invalid_client"));
        }

        revoke("throttled-robot", SECRET, "10.120.0.99")
                .statusCode(429)
                .header("Retry-After", matchesPattern("[1-9][0-9]*"))
                .header("Cache-Control", "no-store")
                .body("error", equalTo("temporarily_unavailable"));
        introspect("throttled-robot", SECRET, "10.120.0.98").statusCode(429);
        revoke("throttle-bystander", SECRET, "10.120.0.97").statusCode(200);
    }

    @Test
    void anAddressIsLockedAfterTwentyFailedClientAuthenticationsWhateverTheClientIds() {
        for (int i = 0; i < 20; i++) {
            revoke("made-up-client-" + i, "guess", "10.121.0.1").statusCode(401);
        }

        revoke("throttle-bystander", SECRET, "10.121.0.1")
                .statusCode(429).body("error", equalTo("temporarily_unavailable"));
        revoke("throttle-bystander", SECRET, "10.121.0.2").statusCode(200);
    }

    @Test
    void theServicesOwnClientsAreNotLockedByTheirIdSoNobodyCanStopTheExchange() {
        for (int i = 0; i < 12; i++) {
            token("ingest-service", "guess-" + i, "10.122.0." + i).statusCode(401);
        }

        token("ingest-service", "ingest-service-dev-secret", "10.122.0.99").statusCode(200);
    }

    @Test
    void aServiceWithItsOwnSecretIsServedFromAnAddressThatGuessingLocked() {
        for (int i = 0; i < 20; i++) {
            revoke("made-up-client-" + i, "guess", "10.123.0.1").statusCode(401);
        }
        revoke("throttle-bystander", SECRET, "10.123.0.1").statusCode(429);

        token("admin-service", "admin-service-dev-secret", "10.123.0.1").statusCode(200);
        token("admin-service", "guess", "10.123.0.1").statusCode(429);
    }
}
