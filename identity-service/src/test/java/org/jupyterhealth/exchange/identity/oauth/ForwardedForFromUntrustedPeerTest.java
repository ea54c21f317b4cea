package org.jupyterhealth.exchange.identity.oauth;

import static org.jupyterhealth.exchange.identity.support.Tokens.form;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.identity.support.IdentityFixtures;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;

/**
 * A caller that reaches the service port directly (not through a trusted proxy) cannot dodge the address lock by
 * writing a new X-Forwarded-For on every guess: here the tests' own loopback address is not a trusted proxy.
 */
@QuarkusTest
@TestProfile(ForwardedForFromUntrustedPeerTest.GatewayElsewhere.class)
class ForwardedForFromUntrustedPeerTest {

    /** The only trusted proxy is an address the tests never connect from. */
    public static class GatewayElsewhere implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("jhe.identity.trusted-proxies", "192.0.2.10");
        }
    }

    @Inject
    IdentityFixtures fixtures;

    private static ValidatableResponse attempt(String email, String password, String forwardedFor) {
        return form().header("X-Forwarded-For", forwardedFor)
                .formParam("grant_type", "password").formParam("client_id", "untrusted-peer-app")
                .formParam("username", email).formParam("password", password)
                .when().post("/o/token/")
                .then();
    }

    @Test
    void rotatingXForwardedForDoesNotDefeatTheAddressLock() {
        fixtures.publicClient("untrusted-peer-app", "password");
        fixtures.practitioner("untrusted.victim@example.com", true);
        for (int i = 0; i < 20; i++) {
            attempt("untrusted.spray" + i + "@example.com", "wrong", "198.51.100." + i).statusCode(400);
        }

        attempt("untrusted.victim@example.com", IdentityFixtures.PASSWORD, "198.51.100.200").statusCode(429);
    }
}
