package org.jupyterhealth.exchange.identity.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.jupyterhealth.exchange.identity.support.Tokens.form;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.identity.support.IdentityFixtures;
import org.jupyterhealth.exchange.identity.support.Tokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The client_credentials grant (RFC 6749 §4.4): service clients and practitioners' automation clients. */
@QuarkusTest
class ClientCredentialsGrantTest {
    private static final String OWNER = "automation.owner@example.com";

    @Inject
    IdentityFixtures fixtures;

    long ownerId;

    @BeforeEach
    void clients() {
        ownerId = fixtures.practitioner(OWNER, true);
        long goneOwner = fixtures.practitioner("automation.gone@example.com", false);
        fixtures.automationClient("mary-robot", "mary-robot-secret-0123456789abcdef", ownerId);
        fixtures.automationClient("gone-robot", "gone-robot-secret-0123456789abcdef", goneOwner);
        fixtures.confidentialClient("ownerless", "ownerless-secret-0123456789abcdef", "client_credentials");
        fixtures.publicClient("public-cc", "client_credentials");
    }

    @Test
    void aServiceClientGetsAnInternalServiceToken() {
        JsonPath response = form().auth().preemptive().basic("admin-service", "admin-service-dev-secret")
                .formParam("grant_type", "client_credentials")
                .when().post("/o/token/")
                .then().statusCode(200)
                .body("token_type", equalTo("Bearer"))
                .body("scope", equalTo("internal"))
                .body("refresh_token", nullValue())
                .extract().jsonPath();

        JsonPath claims = Tokens.claims(response.getString("access_token"));
        assertThat(claims.getString("sub")).isEqualTo("admin-service");
        assertThat(claims.getString("service")).isEqualTo("admin-service");
        assertThat(claims.getString("client_id")).isEqualTo("admin-service");
        assertThat(claims.getString("scope")).isEqualTo("internal");
        assertThat(claims.getString("email")).isNull();
    }

    @Test
    void aServiceClientMayNotAskForUserScopes() {
        form().formParam("grant_type", "client_credentials").formParam("scope", "read write")
                .formParam("client_id", "fhir-service").formParam("client_secret", "fhir-service-dev-secret")
                .when().post("/o/token/")
                .then().statusCode(400).body("error", equalTo("invalid_scope"));
    }

    @Test
    void aServiceClientWithTheWrongSecretIsRefused() {
        form().auth().preemptive().basic("ingest-service", "guess")
                .formParam("grant_type", "client_credentials")
                .when().post("/o/token/")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void anAutomationClientActsAsThePractitionerWhoOwnsIt() {
        String token = form().auth().preemptive().basic("mary-robot", "mary-robot-secret-0123456789abcdef")
                .formParam("grant_type", "client_credentials").formParam("scope", "read write")
                .when().post("/o/token/")
                .then().statusCode(200)
                .body("scope", equalTo("read write"))
                .body("refresh_token", nullValue())
                .extract().path("access_token");

        JsonPath claims = Tokens.claims(token);
        assertThat(claims.getString("sub")).isEqualTo(Long.toString(ownerId));
        assertThat(claims.getString("email")).isEqualTo(OWNER);
        assertThat(claims.getString("user_type")).isEqualTo("practitioner");
        assertThat(claims.getString("client_id")).isEqualTo("mary-robot");
        assertThat(claims.getString("service")).isNull();
    }

    @Test
    void nobodyButAServiceGetsTheInternalScope() {
        form().auth().preemptive().basic("mary-robot", "mary-robot-secret-0123456789abcdef")
                .formParam("grant_type", "client_credentials").formParam("scope", "internal")
                .when().post("/o/token/")
                .then().statusCode(400).body("error", equalTo("invalid_scope"));
    }

    @Test
    void anAutomationClientOfADeactivatedPractitionerIsRefused() {
        form().auth().preemptive().basic("gone-robot", "gone-robot-secret-0123456789abcdef")
                .formParam("grant_type", "client_credentials")
                .when().post("/o/token/")
                .then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void aClientThatActsForNobodyIsRefused() {
        form().auth().preemptive().basic("ownerless", "ownerless-secret-0123456789abcdef")
                .formParam("grant_type", "client_credentials")
                .when().post("/o/token/")
                .then().statusCode(400).body("error", equalTo("unauthorized_client"));
    }

    @Test
    void aPublicClientCannotUseClientCredentials() {
        form().formParam("grant_type", "client_credentials").formParam("client_id", "public-cc")
                .when().post("/o/token/")
                .then().statusCode(400).body("error", equalTo("unauthorized_client"));
    }
}
