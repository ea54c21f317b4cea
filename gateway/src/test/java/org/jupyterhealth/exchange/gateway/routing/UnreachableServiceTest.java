package org.jupyterhealth.exchange.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.jupyterhealth.exchange.common.testing.SecurityHeaderAssertions.assertSecurityHeaders;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(UnreachableServiceTest.ServicesDown.class)
class UnreachableServiceTest {

    /** Every service address points at a port where nothing listens. */
    public static class ServicesDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            int closed = FakeServices.closedPort();
            String url = "http://127.0.0.1:" + closed;
            return Map.of("jhe.gateway.identity-url", url, "jhe.gateway.admin-url", url,
                    "jhe.gateway.fhir-url", url);
        }
    }

    @Test
    void answers503InTheAdminDialectWithRetryAfter() {
        assertSecurityHeaders(given().when().get("/api/v1/patients"));
        given().when().get("/api/v1/patients")
                .then().statusCode(503)
                .header("Retry-After", "5")
                .contentType("application/json")
                .body("detail", equalTo("The administration service is unavailable. Try again shortly."));
    }

    @Test
    void answers503AsAnOAuthErrorAtTheTokenRevocationAndIntrospectionEndpoints() {
        for (String path : new String[] { "/o/token/", "/o/token", "/o/revoke_token/", "/o/introspect" }) {
            given().formParam("grant_type", "password")
                    .when().post(path)
                    .then().statusCode(503)
                    .header("Retry-After", "5")
                    .body("error", equalTo("temporarily_unavailable"))
                    .body("error_description", equalTo("The sign-in service is unavailable. Try again shortly."));
        }
    }

    @Test
    void answers503InTheDetailDialectOnTheOtherOAuthPaths() {
        given().when().get("/o/userinfo")
                .then().statusCode(503)
                .body("detail", equalTo("The sign-in service is unavailable. Try again shortly."));
        given().when().get("/o/authorize")
                .then().statusCode(503)
                .body("detail", equalTo("The sign-in service is unavailable. Try again shortly."));
    }

    @Test
    void answers503AsATransientOperationOutcomeOnFhirPaths() {
        given().when().get("/FHIR/R5/Observation")
                .then().statusCode(503)
                .contentType("application/fhir+json")
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("transient"))
                .body("issue[0].diagnostics", equalTo("The FHIR service is unavailable. Try again shortly."));
    }
}
