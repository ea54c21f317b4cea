package org.jupyterhealth.exchange.identity.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.jupyterhealth.exchange.identity.support.Tokens.form;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.identity.support.IdentityFixtures;
import org.jupyterhealth.exchange.identity.support.Tokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** The refresh_token grant (RFC 6749 §6): rotation on every use, reuse revokes the family. */
@QuarkusTest
class RefreshTokenGrantTest {
    private static final String EMAIL = "refresh.test@example.com";

    @Inject
    IdentityFixtures fixtures;
    @Inject
    Pool pool;

    @BeforeEach
    void accountsAndClients() {
        fixtures.practitioner(EMAIL, true);
        fixtures.publicClient("refresh-app", "password refresh_token");
        fixtures.publicClient("refresh-other-app", "password refresh_token");
        fixtures.publicClient("no-refresh-app", "password");
    }

    private static ValidatableResponse refresh(String clientId, String refreshToken) {
        return form().formParam("grant_type", "refresh_token").formParam("client_id", clientId)
                .formParam("refresh_token", refreshToken)
                .when().post("/o/token/")
                .then();
    }

    @Test
    void rotatesTheRefreshTokenOnEveryUse() {
        JsonPath first = Tokens.password("refresh-app", EMAIL);
        String refreshToken = first.getString("refresh_token");
        assertThat(refreshToken).hasSizeGreaterThanOrEqualTo(43);

        JsonPath second = refresh("refresh-app", refreshToken)
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(36000))
                .body("scope", equalTo("openid read write"))
                .body("refresh_token", not(equalTo(refreshToken)))
                .body("access_token", not(equalTo(first.getString("access_token"))))
                .extract().jsonPath();

        refresh("refresh-app", second.getString("refresh_token")).statusCode(200);
    }

    @Test
    void aRefreshedTokenStillNamesTheUser() {
        JsonPath first = Tokens.password("refresh-app", EMAIL);
        String access = refresh("refresh-app", first.getString("refresh_token")).statusCode(200)
                .extract().path("access_token");

        assertThat(Tokens.claims(access).getString("email")).isEqualTo(EMAIL);
        assertThat(Tokens.claims(access).getString("sub")).isEqualTo(Tokens.claims(first.getString("access_token"))
                .getString("sub"));
    }

    @Test
    void reusingARotatedRefreshTokenRevokesTheWholeFamily() {
        JsonPath first = Tokens.password("refresh-app", EMAIL);
        String original = first.getString("refresh_token");
        JsonPath second = refresh("refresh-app", original).statusCode(200).extract().jsonPath();

        refresh("refresh-app", original)
                .statusCode(400)
                .header("Cache-Control", "no-store")
                .body("error", equalTo("invalid_grant"));

        refresh("refresh-app", second.getString("refresh_token"))
                .statusCode(400).body("error", equalTo("invalid_grant"));
        assertThat(revoked(second.getString("access_token"))).as("the family's access token").isTrue();
        assertThat(revoked(first.getString("access_token"))).as("the first access token").isTrue();
    }

    @Test
    void refusesARefreshTokenIssuedToAnotherClient() {
        String refreshToken = Tokens.password("refresh-app", EMAIL).getString("refresh_token");

        refresh("refresh-other-app", refreshToken).statusCode(400).body("error", equalTo("invalid_grant"));

        refresh("refresh-app", refreshToken).statusCode(200);
    }

    @Test
    void refusesAnUnknownRefreshToken() {
        refresh("refresh-app", "not-a-token-we-issued").statusCode(400)
                .body("error", equalTo("invalid_grant"))
                .body("error_description", equalTo("Invalid refresh token."));
    }

    @Test
    void refusesARequestWithoutTheRefreshToken() {
        form().formParam("grant_type", "refresh_token").formParam("client_id", "refresh-app")
                .when().post("/o/token/")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void mayNarrowTheScopeButNeverWidenIt() {
        String refreshToken = Tokens.password("refresh-app", EMAIL).getString("refresh_token");

        form().formParam("grant_type", "refresh_token").formParam("client_id", "refresh-app")
                .formParam("refresh_token", refreshToken).formParam("scope", "read email")
                .when().post("/o/token/")
                .then().statusCode(400).body("error", equalTo("invalid_scope"));

        form().formParam("grant_type", "refresh_token").formParam("client_id", "refresh-app")
                .formParam("refresh_token", refreshToken).formParam("scope", "read")
                .when().post("/o/token/")
                .then().statusCode(200).body("scope", equalTo("read"));
    }

    @Test
    void aClientNotAllowedToRefreshGetsNoRefreshToken() {
        JsonPath tokens = Tokens.password("no-refresh-app", EMAIL);
        assertThat(tokens.getString("refresh_token")).isNull();

        refresh("no-refresh-app", "anything").statusCode(400).body("error", equalTo("unauthorized_client"));
    }

    @Test
    void anOpenidScopeAlsoGivesAnIdTokenForTheClient() {
        JsonPath tokens = Tokens.password("refresh-app", EMAIL);

        JsonPath idToken = Tokens.claims(tokens.getString("id_token"));
        assertThat(idToken.getString("aud")).isEqualTo("refresh-app");
        assertThat(idToken.getString("email")).isEqualTo(EMAIL);
        refresh("refresh-app", tokens.getString("refresh_token")).statusCode(200)
                .body("id_token", notNullValue());
    }

    @Test
    void withoutOpenidThereIsNoIdToken() {
        form().formParam("grant_type", "password").formParam("client_id", "refresh-app")
                .formParam("username", EMAIL).formParam("password", IdentityFixtures.PASSWORD)
                .formParam("scope", "read write")
                .when().post("/o/token/")
                .then().statusCode(200).body("id_token", nullValue()).body("refresh_token", notNullValue());
    }

    private boolean revoked(String accessToken) {
        UUID jti = UUID.fromString(Tokens.claims(accessToken).getString("jti"));
        return pool.preparedQuery("SELECT revoked_at IS NOT NULL AS revoked FROM identity.access_token WHERE jti = $1")
                .execute(Tuple.of(jti)).await().indefinitely().iterator().next().getBoolean("revoked");
    }
}
