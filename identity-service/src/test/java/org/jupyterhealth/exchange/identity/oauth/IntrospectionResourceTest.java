package org.jupyterhealth.exchange.identity.oauth;

import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.equalTo;
import static org.jupyterhealth.exchange.identity.support.Tokens.form;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.identity.support.IdentityFixtures;
import org.jupyterhealth.exchange.identity.support.Tokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/** Token introspection (RFC 7662), for confidential clients. */
@QuarkusTest
class IntrospectionResourceTest {
    private static final String EMAIL = "introspect.test@example.com";
    private static final String SECRET = "introspect-secret-0123456789abcdef";

    @Inject
    IdentityFixtures fixtures;

    @BeforeEach
    void accountsAndClients() {
        fixtures.practitioner(EMAIL, true);
        fixtures.confidentialClient("introspecting-app", SECRET, "password refresh_token");
        fixtures.confidentialClient("nosy-app", SECRET, "password");
        fixtures.publicClient("public-introspector", "password refresh_token");
    }

    private static JsonPath passwordTokens(String clientId) {
        return form().auth().preemptive().basic(clientId, SECRET)
                .formParam("grant_type", "password").formParam("username", EMAIL)
                .formParam("password", IdentityFixtures.PASSWORD).formParam("scope", "read write")
                .when().post("/o/token/").then().statusCode(200).extract().jsonPath();
    }

    private static ValidatableResponse introspect(String clientId, String token) {
        return form().auth().preemptive().basic(clientId, SECRET).formParam("token", token)
                .when().post("/o/introspect/").then();
    }

    @Test
    void describesAnActiveAccessTokenToTheClientItWasIssuedTo() {
        JsonPath tokens = passwordTokens("introspecting-app");

        introspect("introspecting-app", tokens.getString("access_token"))
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body("active", equalTo(true))
                .body("token_type", equalTo("Bearer"))
                .body("scope", equalTo("read write"))
                .body("client_id", equalTo("introspecting-app"))
                .body("username", equalTo(EMAIL))
                .body("iss", equalTo("http://localhost:8000/o"))
                .body("sub", equalTo(Tokens.claims(tokens.getString("access_token")).getString("sub")));
    }

    @Test
    void describesAnActiveRefreshToken() {
        JsonPath tokens = passwordTokens("introspecting-app");

        introspect("introspecting-app", tokens.getString("refresh_token"))
                .statusCode(200)
                .body("active", equalTo(true))
                .body("token_type", equalTo("refresh_token"))
                .body("scope", equalTo("read write"));
    }

    @Test
    void aRevokedTokenIsInactive() {
        JsonPath tokens = passwordTokens("introspecting-app");
        form().auth().preemptive().basic("introspecting-app", SECRET)
                .formParam("token", tokens.getString("access_token"))
                .when().post("/o/revoke_token/").then().statusCode(200);

        introspect("introspecting-app", tokens.getString("access_token"))
                .statusCode(200).body("$", aMapWithSize(1)).body("active", equalTo(false));
    }

    @Test
    void anotherClientsTokenIsInactiveToIt() {
        JsonPath tokens = passwordTokens("introspecting-app");

        introspect("nosy-app", tokens.getString("access_token")).statusCode(200).body("active", equalTo(false));
        introspect("nosy-app", tokens.getString("refresh_token")).statusCode(200).body("active", equalTo(false));
    }

    @Test
    void aServiceMayIntrospectAnyAccessToken() {
        JsonPath tokens = passwordTokens("introspecting-app");

        form().auth().preemptive().basic("fhir-service", "fhir-service-dev-secret")
                .formParam("token", tokens.getString("access_token"))
                .when().post("/o/introspect").then().statusCode(200).body("active", equalTo(true));
    }

    @Test
    void garbageIsInactive() {
        introspect("introspecting-app", "garbage").statusCode(200).body("active", equalTo(false));
    }

    @Test
    void aPublicClientMayNotIntrospect() {
        String access = Tokens.password("public-introspector", EMAIL).getString("access_token");

        form().formParam("client_id", "public-introspector").formParam("token", access)
                .when().post("/o/introspect/").then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void aWrongSecretIsRefused() {
        form().auth().preemptive().basic("introspecting-app", "wrong").formParam("token", "x")
                .when().post("/o/introspect/").then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void refusesABodyThatCannotBeReadWithInvalidRequestNamingTheParameter() {
        form().auth().preemptive().basic("introspecting-app", SECRET).body("token=%zz")
                .when().post("/o/introspect/")
                .then().statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("error_description", equalTo("token is not properly percent-encoded."));
        form().auth().preemptive().basic("introspecting-app", SECRET).body("token=abc%01def")
                .when().post("/o/introspect/")
                .then().statusCode(400).body("error_description", equalTo("token contains a control character."));
    }
}
