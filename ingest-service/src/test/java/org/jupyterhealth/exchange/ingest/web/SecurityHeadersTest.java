package org.jupyterhealth.exchange.ingest.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.jupyterhealth.exchange.common.testing.SecurityHeaderAssertions.assertSecurityHeaders;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** ingest-service serves nothing on its HTTP port, and says so with the security headers like every service. */
@QuarkusTest
class SecurityHeadersTest {

    @Test
    void itsAnswersCarryThem() {
        Response answer = given().when().get("/api/v1/observations");

        assertThat(answer.statusCode()).isEqualTo(404);
        assertSecurityHeaders(answer);
    }
}
