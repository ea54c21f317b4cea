package org.jupyterhealth.exchange.fhir.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.jupyterhealth.exchange.common.testing.SecurityHeaderAssertions.assertFramingAndSniffingHeaders;
import static org.jupyterhealth.exchange.common.testing.SecurityHeaderAssertions.assertSecurityHeaders;
import static org.jupyterhealth.exchange.common.testing.SecurityHeaderAssertions.assertStrictTransportSecurity;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.fhir.support.FakeAdmin;
import org.jupyterhealth.exchange.fhir.support.ObservationStore;
import org.jupyterhealth.exchange.fhir.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** fhir-service's answers carry the security headers by themselves: health data is never stored by a cache. */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(FakeAdmin.class)
@QuarkusTestResource(ObservationStore.class)
class SecurityHeadersTest {

    @Test
    void observationsAndTheirErrorsCarryThemInBothDialects() {
        Response bundle = given().auth().oauth2(Personas.mary()).when().get("/fhir/r5/Observation?_count=2");
        Response admin = given().auth().oauth2(Personas.mary()).when().get("/api/v1/observations");
        Response unauthenticated = given().when().get("/FHIR/R5/Observation");
        Response unknownType = given().auth().oauth2(Personas.mary()).when().get("/fhir/r5/Nothing");

        assertThat(bundle.statusCode()).isEqualTo(200);
        assertSecurityHeaders(bundle);
        assertThat(admin.statusCode()).isEqualTo(200);
        assertSecurityHeaders(admin);
        assertThat(unauthenticated.statusCode()).isEqualTo(401);
        assertSecurityHeaders(unauthenticated);
        assertThat(unknownType.statusCode()).isEqualTo(404);
        assertSecurityHeaders(unknownType);
    }

    @Test
    void theCapabilityStatementKeepsItsPublicCaching() {
        Response metadata = given().when().get("/fhir/r5/metadata");

        assertThat(metadata.statusCode()).isEqualTo(200);
        assertFramingAndSniffingHeaders(metadata);
        assertThat(metadata.header("Cache-Control")).isEqualTo("max-age=3600");
    }

    @Test
    void asksForHttpsOnlyOnRequestsThatCameOverHttps() {
        assertStrictTransportSecurity(given().header("X-Forwarded-Proto", "https").when().get("/fhir/r5/metadata"),
                true);
        assertStrictTransportSecurity(given().when().get("/fhir/r5/metadata"), false);
    }
}
