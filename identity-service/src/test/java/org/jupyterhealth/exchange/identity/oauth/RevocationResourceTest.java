package org.jupyterhealth.exchange.identity.oauth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
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

/**
 * Token revocation (RFC 7009): access and refresh tokens, by the client they were issued to; revoking either token of
 * a grant revokes the whole grant.
 */
@QuarkusTest
class RevocationResourceTest {
    private static final String EMAIL = "revoke.test@example.com";

    @Inject
    IdentityFixtures fixtures;

    @BeforeEach
    void accountsAndClients() {
        fixtures.practitioner(EMAIL, true);
        fixtures.publicClient("revoke-app", "password refresh_token");
        fixtures.publicClient("revoke-other-app", "password refresh_token");
    }

    private static ValidatableResponse revoke(String clientId, String token, String hint) {
        var request = form().formParam("client_id", clientId).formParam("token", token);
        if (hint != null) {
            request.formParam("token_type_hint", hint);
        }
        return request.when().post("/o/revoke_token/").then();
    }

    private static ValidatableResponse refresh(String refreshToken) {
        return form().formParam("grant_type", "refresh_token").formParam("client_id", "revoke-app")
                .formParam("refresh_token", refreshToken)
                .when().post("/o/token").then();
    }

    /** What a service learns of an access token by introspection (RFC 7662). */
    private static boolean activeForServices(String accessToken) {
        return form().auth().preemptive().basic("admin-service", "admin-service-dev-secret")
                .formParam("token", accessToken)
                .when().post("/o/introspect/")
                .then().statusCode(200).extract().path("active");
    }

    @Test
    void revokingAnAccessTokenRevokesItsWholeGrantSoItsRefreshTokenIsRefused() {
        JsonPath tokens = Tokens.password("revoke-app", EMAIL);
        given().auth().oauth2(tokens.getString("access_token")).when().get("/o/userinfo").then().statusCode(200);

        revoke("revoke-app", tokens.getString("access_token"), "access_token")
                .statusCode(200).header("Cache-Control", "no-store");

        given().auth().oauth2(tokens.getString("access_token")).when().get("/o/userinfo").then().statusCode(401);
        refresh(tokens.getString("refresh_token")).statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void revokingAnOldAccessTokenAlsoEndsTheTokensItsGrantWasRefreshedInto() {
        JsonPath first = Tokens.password("revoke-app", EMAIL);
        JsonPath second = refresh(first.getString("refresh_token")).statusCode(200).extract().jsonPath();

        revoke("revoke-app", first.getString("access_token"), null).statusCode(200);

        assertThat(activeForServices(second.getString("access_token"))).isFalse();
        refresh(second.getString("refresh_token")).statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void revokingARefreshTokenAlsoRevokesTheAccessTokensOfItsGrant() {
        JsonPath tokens = Tokens.password("revoke-app", EMAIL);
        assertThat(activeForServices(tokens.getString("access_token"))).isTrue();

        revoke("revoke-app", tokens.getString("refresh_token"), null).statusCode(200);

        refresh(tokens.getString("refresh_token")).statusCode(400).body("error", equalTo("invalid_grant"));
        given().auth().oauth2(tokens.getString("access_token")).when().get("/o/userinfo").then().statusCode(401);
        assertThat(activeForServices(tokens.getString("access_token"))).isFalse();
    }

    @Test
    void revokingOneGrantLeavesTheUsersOtherGrantsAlone() {
        JsonPath revoked = Tokens.password("revoke-app", EMAIL);
        JsonPath kept = Tokens.password("revoke-app", EMAIL);

        revoke("revoke-app", revoked.getString("access_token"), null).statusCode(200);

        assertThat(activeForServices(kept.getString("access_token"))).isTrue();
        refresh(kept.getString("refresh_token")).statusCode(200);
    }

    @Test
    void refusesABodyThatCannotBeReadWithInvalidRequestNamingTheParameter() {
        form().body("%zz=%").when().post("/o/revoke_token/")
                .then().statusCode(400).header("Cache-Control", "no-store").body("error", equalTo("invalid_request"));
        form().body("client_id=revoke-app&token=abc%00def").when().post("/o/revoke_token/")
                .then().statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("error_description", equalTo("token contains a control character."));
    }

    @Test
    void anUnknownTokenIsAnsweredLikeAnyOther() {
        revoke("revoke-app", "no-such-token", "refresh_token").statusCode(200);
    }

    @Test
    void aClientCannotRevokeAnotherClientsToken() {
        JsonPath tokens = Tokens.password("revoke-app", EMAIL);

        revoke("revoke-other-app", tokens.getString("access_token"), null)
                .statusCode(400).body("error", equalTo("unauthorized_client"));

        given().auth().oauth2(tokens.getString("access_token")).when().get("/o/userinfo").then().statusCode(200);
    }

    @Test
    void anUnknownClientIsRefused() {
        revoke("no-such-client", "whatever", null).statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void theTokenParameterIsRequired() {
        form().formParam("client_id", "revoke-app")
                .when().post("/o/revoke_token").then().statusCode(400).body("error", equalTo("invalid_request"));
    }
}
