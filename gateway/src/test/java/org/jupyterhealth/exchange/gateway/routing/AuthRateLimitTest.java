package org.jupyterhealth.exchange.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The endpoints where credentials are tried have a budget of their own per client, far below the general one, and
 * no spelling of their paths escapes it. Each test plays its own client, from its own loopback address; the
 * gateway is the edge here, so the clients' X-Forwarded-For is ignored.
 */
@QuarkusTest
@QuarkusTestResource(FakeServices.class)
@TestProfile(AuthRateLimitTest.AuthLimit.class)
class AuthRateLimitTest {

    /** Three tries at once on the credential endpoints, then one every ten seconds; the general limit as shipped. */
    public static class AuthLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("jhe.gateway.rate-limit.auth.requests-per-second", "1",
                    "jhe.gateway.rate-limit.auth.burst", "3");
        }
    }

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private String send(String client, String requestLine, String forwardedFor) throws IOException {
        return RawHttp.exchangeFrom(client, port, requestLine + " HTTP/1.1\r\nHost: localhost\r\n"
                + "X-Forwarded-For: " + forwardedFor + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    }

    @Test
    void theTokenEndpointIsThrottledAfterTheBurstAsAnOAuthErrorWithRetryAfter() throws IOException {
        for (int i = 0; i < 3; i++) {
            assertThat(send("127.0.0.11", "POST /o/token/", "198.51.100." + i)).startsWith("HTTP/1.1 200");
        }

        String refused = send("127.0.0.11", "POST /o/token/", "198.51.100.99");

        assertThat(refused).startsWith("HTTP/1.1 429").containsIgnoringCase("Retry-After: 1")
                .containsIgnoringCase("Content-Type: application/json")
                .contains("{\"error\":\"temporarily_unavailable\",\"error_description\":\"Request was throttled.");
    }

    @ParameterizedTest
    @CsvSource({
            "127.0.0.12, POST /o/token, POST /o/token;x=1",
            "127.0.0.13, GET /o/authorize?client_id=a, POST /o/authorize/",
            "127.0.0.14, POST /o/introspect, POST /o/revoke_token/",
            "127.0.0.15, POST /api/v1/invitation/Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z, POST /api/v1/invitation;x/abc",
            "127.0.0.16, POST /o/%74oken, POST /api/v1/%69nvitation/abc",
            "127.0.0.20, GET /o/activate?token=Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb3dEf6hIj9, POST /o/activate/",
            "127.0.0.21, POST /o/activate, POST /o/%61ctivate;x=1",
            "127.0.0.22, POST /o/password, POST /o/password/",
            "127.0.0.23, GET /o/forgot, POST /o/forgot/",
            "127.0.0.24, GET /o/reset?token=Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb3dEf6hIj9, POST /o/%72eset",
            "127.0.0.25, GET /o/passkeys, POST /o/passkeys/options",
            "127.0.0.26, POST /o/passkeys/register, POST /o/%70asskeys/require",
    })
    void everyCredentialEndpointAndSpellingSharesTheClientsSmallBudget(String client, String first, String second)
            throws IOException {
        for (int i = 0; i < 3; i++) {
            assertThat(send(client, i % 2 == 0 ? first : second, "192.0.2.1")).doesNotStartWith("HTTP/1.1 429");
        }

        assertThat(send(client, first, "192.0.2.1")).startsWith("HTTP/1.1 429");
        assertThat(send(client, second, "192.0.2.2")).startsWith("HTTP/1.1 429");
    }

    @Test
    void theRestOfTheApiKeepsItsGenerousLimitWhileTheCredentialEndpointsAreThrottled() throws IOException {
        for (int i = 0; i < 4; i++) {
            send("127.0.0.17", "POST /o/token", "192.0.2.1");
        }
        assertThat(send("127.0.0.17", "POST /o/token", "192.0.2.1")).startsWith("HTTP/1.1 429");

        for (int i = 0; i < 30; i++) {
            assertThat(send("127.0.0.17", "GET /api/v1/patients", "192.0.2.1")).startsWith("HTTP/1.1 200");
        }
        assertThat(send("127.0.0.17", "GET /api/v1/invitation/42", "192.0.2.1")).startsWith("HTTP/1.1 200");
        assertThat(send("127.0.0.17", "GET /o/.well-known/openid-configuration", "192.0.2.1"))
                .startsWith("HTTP/1.1 200");
        // the passkey script that every sign-in page loads is no credential endpoint
        assertThat(send("127.0.0.17", "GET /o/passkeys.js", "192.0.2.1")).startsWith("HTTP/1.1 200");
    }

    @Test
    void anotherClientIsNotThrottledForTheFirstOnesTries() throws IOException {
        for (int i = 0; i < 4; i++) {
            send("127.0.0.18", "POST /o/token", "192.0.2.1");
        }

        assertThat(send("127.0.0.19", "POST /o/token", "192.0.2.1")).startsWith("HTTP/1.1 200");
    }
}
