package org.jupyterhealth.exchange.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.jupyterhealth.exchange.common.testing.SecurityHeaderAssertions.assertSecurityHeaders;
import static org.jupyterhealth.exchange.common.testing.SecurityHeaderAssertions.assertStrictTransportSecurity;

import java.net.URL;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

@QuarkusTest
@QuarkusTestResource(FakeServices.class)
@TestProfile(RateLimitTest.TightLimit.class)
class RateLimitTest {

    @TestHTTPResource(value = "health/live", management = true)
    URL live;

    /** Five requests at once, then one per second. */
    public static class TightLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("jhe.gateway.rate-limit.requests-per-second", "1",
                    "jhe.gateway.rate-limit.burst", "5",
                    "jhe.gateway.trust-forwarded-headers", "true");
        }
    }

    /** Sends as one client until the gateway refuses; a token comes back each second, so a slow run may need more. */
    private static Response exhaust(String client, String path) {
        int sent = 0;
        while (sent < 20) {
            var response = given().header("X-Forwarded-For", client).when().get(path);
            if (response.statusCode() != 200) {
                assertThat(sent).as("requests that passed before the refusal").isGreaterThanOrEqualTo(5);
                return response;
            }
            sent++;
        }
        throw new AssertionError("20 requests in a row passed a limit of 5 plus 1 per second");
    }

    @Test
    void throttlesAClientPastItsBurstWith429AndRetryAfter() {
        var refused = exhaust("203.0.113.7", "/api/v1/patients");

        refused.then()
                .statusCode(429)
                .header("Retry-After", "1")
                .body("detail", equalTo("Request was throttled. Expected available in 1 second."));
        assertSecurityHeaders(refused);
    }

    @Test
    void answers429AsAnOperationOutcomeOnFhirPaths() {
        exhaust("203.0.113.8", "/fhir/r5/Observation").then()
                .statusCode(429)
                .contentType("application/fhir+json")
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("throttled"));
    }

    @Test
    void countsEachClientSeparately() {
        for (int i = 0; i < 5; i++) {
            given().header("X-Forwarded-For", "198.51.100.1").when().get("/api/v1/patients");
        }

        int other = given().header("X-Forwarded-For", "198.51.100.2").when().get("/api/v1/patients").statusCode();

        assertThat(other).isEqualTo(200);
    }

    @Test
    void behindATrustedIngressKeepsItsForwardedForAndAddsItsPeer() {
        given().header("X-Forwarded-For", "203.0.113.20")
                .when().get("/api/v1/patients")
                .then().statusCode(200)
                .body("forwardedFor", equalTo("203.0.113.20, 127.0.0.1"));
    }

    @Test
    void tellsClientsApartByTheAddressTheIngressAddedNotByWhatTheyPutBeforeIt() {
        int sent = 0;
        int status = 200;
        while (status == 200 && sent < 20) {
            // the client forges a fresh first address each time; the ingress appends the one it saw
            status = given().header("X-Forwarded-For", "198.18.0." + sent + ", 203.0.113.21")
                    .when().get("/api/v1/patients").statusCode();
            sent++;
        }

        assertThat(status).isEqualTo(429);
        assertThat(sent).isBetween(6, 19);
    }

    @Test
    void asksForHttpsOnlyBehindAnIngressThatReachedItsClientOverHttps() {
        assertStrictTransportSecurity(given().header("X-Forwarded-For", "203.0.113.30")
                .header("X-Forwarded-Proto", "https").when().get("/api/v1/patients"), true);
        assertStrictTransportSecurity(given().header("X-Forwarded-For", "203.0.113.30")
                .header("X-Forwarded-Proto", "http").when().get("/api/v1/patients"), false);
    }

    @Test
    void neverThrottlesHealthChecksOnTheManagementPort() {
        for (int i = 0; i < 8; i++) {
            given().header("X-Forwarded-For", "192.0.2.99").when().get(live).then().statusCode(200);
        }
    }
}
