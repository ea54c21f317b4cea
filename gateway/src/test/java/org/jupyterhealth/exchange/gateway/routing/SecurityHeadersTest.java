package org.jupyterhealth.exchange.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.jupyterhealth.exchange.common.testing.SecurityHeaderAssertions.assertSecurityHeaders;
import static org.jupyterhealth.exchange.common.testing.SecurityHeaderAssertions.assertStrictTransportSecurity;

import java.io.IOException;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The gateway's own answers carry the security headers, and so does a service's answer that lacks them. Being the
 * edge here, it asks for HTTPS only on connections that are HTTPS, whatever a client claims.
 */
@QuarkusTest
@QuarkusTestResource(FakeServices.class)
class SecurityHeadersTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void itsOwn404CarriesTheSecurityHeaders() {
        Response response = given().when().get("/nowhere");

        assertThat(response.statusCode()).isEqualTo(404);
        assertSecurityHeaders(response);
        assertSecurityHeaders(given().when().get("/q/metrics"));
    }

    @Test
    void itsOwn504CarriesTheSecurityHeaders() {
        Response response = given().when().get("/fhir/r5/slow");

        assertThat(response.statusCode()).isEqualTo(504);
        assertSecurityHeaders(response);
    }

    @Test
    void itsOwn413CarriesTheSecurityHeaders() throws IOException {
        String answer = RawHttp.exchange(port, "POST /api/v1/patients HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 999999999\r\n\r\n", 0, 0);

        assertThat(answer).startsWith("HTTP/1.1 413").containsIgnoringCase("X-Content-Type-Options: nosniff")
                .containsIgnoringCase("Cache-Control: no-store").containsIgnoringCase("Referrer-Policy: no-referrer")
                .containsIgnoringCase("X-Frame-Options: DENY")
                .containsIgnoringCase("Content-Security-Policy: frame-ancestors 'none'");
    }

    @Test
    void aServicesAnswerWithoutThemGetsThemOnItsWay() {
        Response response = given().when().get("/api/v1/patients");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getString("service")).isEqualTo("admin");
        assertSecurityHeaders(response);
    }

    @Test
    void asksForHttpsOnlyWhenTheConnectionIsHttpsNotWhenAClientSaysSo() {
        Response response = given().header("X-Forwarded-Proto", "https").when().get("/api/v1/patients");

        assertStrictTransportSecurity(response, false);
        assertThat(response.jsonPath().getString("forwardedProto")).isEqualTo("http");
    }
}
