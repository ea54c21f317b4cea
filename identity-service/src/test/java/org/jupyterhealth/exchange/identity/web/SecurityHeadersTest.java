package org.jupyterhealth.exchange.identity.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.jupyterhealth.exchange.common.testing.SecurityHeaderAssertions.assertFramingAndSniffingHeaders;
import static org.jupyterhealth.exchange.common.testing.SecurityHeaderAssertions.assertSecurityHeaders;
import static org.jupyterhealth.exchange.common.testing.SecurityHeaderAssertions.assertStrictTransportSecurity;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.identity.support.IdentityFixtures;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** identity-service's answers carry the security headers by themselves, without the gateway in front. */
@QuarkusTest
class SecurityHeadersTest {

    @Inject
    IdentityFixtures fixtures;

    @Test
    void tokenEndpointErrorsUserinfoRefusalsAndUnknownPathsCarryThem() {
        Response tokenError = given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "x")
                .when().post("/o/token/");
        Response userinfo = given().when().get("/o/userinfo");
        Response unknown = given().when().get("/o/nowhere");

        assertThat(tokenError.statusCode()).isEqualTo(400);
        assertSecurityHeaders(tokenError);
        assertThat(userinfo.statusCode()).isEqualTo(401);
        assertSecurityHeaders(userinfo);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertSecurityHeaders(unknown);
    }

    @Test
    void publicDiscoveryDocumentsKeepTheirOwnCaching() {
        for (String path : new String[] { "/o/.well-known/openid-configuration", "/o/.well-known/jwks.json" }) {
            Response document = given().when().get(path);

            assertThat(document.statusCode()).isEqualTo(200);
            assertFramingAndSniffingHeaders(document);
            assertThat(document.header("Cache-Control")).startsWith("public");
        }
    }

    @Test
    void theSignInPageCannotBeFramedAndKeepsItsOwnStricterPolicy() {
        fixtures.publicClient("headers-web-app", "authorization_code");

        Response page = given().redirects().follow(false)
                .queryParam("response_type", "code").queryParam("client_id", "headers-web-app")
                .queryParam("redirect_uri", IdentityFixtures.CALLBACK)
                .queryParam("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
                .queryParam("code_challenge_method", "S256").queryParam("scope", "read")
                .when().get("/o/authorize/");

        assertThat(page.statusCode()).isEqualTo(200);
        assertSecurityHeaders(page);
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'");
    }

    @Test
    void asksForHttpsOnlyOnRequestsThatCameOverHttps() {
        assertStrictTransportSecurity(given().header("X-Forwarded-Proto", "https")
                .when().get("/o/.well-known/openid-configuration"), true);
        assertStrictTransportSecurity(given().when().get("/o/.well-known/openid-configuration"), false);
    }
}
