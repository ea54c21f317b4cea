package org.jupyterhealth.exchange.admin.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.jupyterhealth.exchange.common.testing.SecurityHeaderAssertions.assertSecurityHeaders;
import static org.jupyterhealth.exchange.common.testing.SecurityHeaderAssertions.assertStrictTransportSecurity;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * admin-service's answers carry the security headers by themselves, without the gateway in front: health data is
 * never stored by a cache, and the Swagger UI and ReDoc pages still run their scripts.
 */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class SecurityHeadersTest {

    @Test
    void answersWithPatientDataAndErrorsCarryThem() {
        Response patients = given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients");
        Response unauthenticated = given().when().get("/api/v1/patients");
        Response unknown = given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients/99999999");

        assertThat(patients.statusCode()).isEqualTo(200);
        assertSecurityHeaders(patients);
        assertThat(unauthenticated.statusCode()).isEqualTo(401);
        assertSecurityHeaders(unauthenticated);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertSecurityHeaders(unknown);
        assertSecurityHeaders(given().when().get("/nowhere"));
    }

    @Test
    void theApiDocumentationPagesCannotBeFramedButKeepTheirScripts() {
        for (String path : new String[] { "/api/v1/schema/swagger-ui/", "/api/schema/redoc/", "/api/schema" }) {
            Response page = given().when().get(path);

            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertSecurityHeaders(page);
            assertThat(page.header("Content-Security-Policy")).as(path).isEqualTo("frame-ancestors 'none'");
        }
    }

    @Test
    void asksForHttpsOnlyOnRequestsThatCameOverHttps() {
        assertStrictTransportSecurity(given().auth().oauth2(Personas.mary()).header("X-Forwarded-Proto", "https")
                .when().get("/api/v1/users/profile"), true);
        assertStrictTransportSecurity(given().auth().oauth2(Personas.mary())
                .when().get("/api/v1/users/profile"), false);
    }
}
