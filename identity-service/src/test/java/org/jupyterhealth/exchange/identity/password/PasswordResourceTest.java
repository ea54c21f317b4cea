package org.jupyterhealth.exchange.identity.password;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.jupyterhealth.exchange.identity.support.Tokens.form;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.testing.LogCapture;
import org.jupyterhealth.exchange.identity.support.IdentityFixtures;
import org.jupyterhealth.exchange.identity.support.Tokens;
import org.jupyterhealth.exchange.identity.token.RandomTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code POST /o/password}: a signed-in person changes their password with the current one; the other sessions of
 * the account end, the caller's goes on; a wrong current password counts as a failed sign-in.
 */
@QuarkusTest
class PasswordResourceTest {
    private static final String NEW_PASSWORD = "violet lanterns drift upriver";
    private static final String APP = "password-app";

    @Inject
    IdentityFixtures fixtures;

    @Inject
    Pool pool;

    @BeforeEach
    void client() {
        fixtures.publicClient(APP, "password refresh_token");
    }

    private static ValidatableResponse change(String accessToken, Object body, String address) {
        return given().auth().oauth2(accessToken).header("X-Forwarded-For", address)
                .contentType("application/json").body(body)
                .when().post("/o/password")
                .then();
    }

    private static ValidatableResponse change(String accessToken, String current, String next, String address) {
        return change(accessToken, Map.of("currentPassword", current, "newPassword", next), address);
    }

    private static Response signIn(String email, String password) {
        return form().formParam("grant_type", "password").formParam("client_id", APP)
                .formParam("username", email).formParam("password", password)
                .when().post("/o/token/");
    }

    private static Response refresh(String refreshToken) {
        return form().formParam("grant_type", "refresh_token").formParam("client_id", APP)
                .formParam("refresh_token", refreshToken)
                .when().post("/o/token/");
    }

    private static ValidatableResponse userinfo(String accessToken) {
        return given().auth().oauth2(accessToken).when().get("/o/userinfo").then();
    }

    @Test
    void theNewPasswordSignsInAndTheOldOneNoLonger() {
        fixtures.practitioner("pw.change@example.com", true);
        String access = Tokens.password(APP, "pw.change@example.com").getString("access_token");

        change(access, IdentityFixtures.PASSWORD, NEW_PASSWORD, "10.60.0.1")
                .statusCode(204)
                .header("Cache-Control", "no-store");

        signIn("pw.change@example.com", NEW_PASSWORD).then().statusCode(200);
        signIn("pw.change@example.com", IdentityFixtures.PASSWORD).then().statusCode(400)
                .body("error", equalTo("invalid_grant"));
    }

    @Test
    void theSnakeCaseNamesAreReadToo() {
        fixtures.practitioner("pw.snake@example.com", true);
        String access = Tokens.password(APP, "pw.snake@example.com").getString("access_token");

        change(access, Map.of("current_password", IdentityFixtures.PASSWORD, "new_password", NEW_PASSWORD),
                "10.60.1.1").statusCode(204);

        signIn("pw.snake@example.com", NEW_PASSWORD).then().statusCode(200);
    }

    @Test
    void otherSessionsEndWhileTheCallersGoesOn() {
        fixtures.practitioner("pw.sessions@example.com", true);
        JsonPath mine = Tokens.password(APP, "pw.sessions@example.com");
        JsonPath other = Tokens.password(APP, "pw.sessions@example.com");
        // the caller's session after one refresh: its access token is the second of the grant
        JsonPath mineRefreshed = refresh(mine.getString("refresh_token")).then().statusCode(200).extract().jsonPath();

        change(mineRefreshed.getString("access_token"), IdentityFixtures.PASSWORD, NEW_PASSWORD, "10.60.2.1")
                .statusCode(204);

        refresh(other.getString("refresh_token")).then().statusCode(400).body("error", equalTo("invalid_grant"));
        userinfo(other.getString("access_token")).statusCode(401);
        userinfo(mine.getString("access_token")).statusCode(401);
        userinfo(mineRefreshed.getString("access_token")).statusCode(200)
                .body("email", equalTo("pw.sessions@example.com"));
        refresh(mineRefreshed.getString("refresh_token")).then().statusCode(200);
    }

    @Test
    void theBrowsersSignedInWithTheOldPasswordAreSignedOut() {
        long user = fixtures.practitioner("pw.browser@example.com", true);
        pool.preparedQuery("INSERT INTO identity.sign_in_session (token_hash, user_id, expires_at) "
                + "VALUES ($1, $2, now() + interval '1 hour')")
                .execute(Tuple.of(RandomTokens.sha256Hex("browser-session-of-pw-browser"), user))
                .await().indefinitely();
        String access = Tokens.password(APP, "pw.browser@example.com").getString("access_token");

        change(access, IdentityFixtures.PASSWORD, NEW_PASSWORD, "10.60.3.1").statusCode(204);

        assertThat(pool.preparedQuery("SELECT count(*) FROM identity.sign_in_session WHERE user_id = $1")
                .execute(Tuple.of(user)).await().indefinitely().iterator().next().getLong(0)).isZero();
    }

    @Test
    void theRevocationsArePublishedToTheOtherServices() {
        fixtures.practitioner("pw.publish@example.com", true);
        String mine = Tokens.password(APP, "pw.publish@example.com").getString("access_token");
        String other = Tokens.password(APP, "pw.publish@example.com").getString("access_token");

        change(mine, IdentityFixtures.PASSWORD, NEW_PASSWORD, "10.60.3.1").statusCode(204);

        Row record = pool.preparedQuery("SELECT revoked_at IS NOT NULL AS revoked, revocation_published "
                + "FROM identity.access_token WHERE jti = $1")
                .execute(Tuple.of(UUID.fromString(Tokens.claims(other).getString("jti"))))
                .await().indefinitely().iterator().next();
        assertThat(record.getBoolean("revoked")).isTrue();
        assertThat(record.getBoolean("revocation_published")).as("acknowledged by Kafka").isTrue();
    }

    @Test
    void aWrongCurrentPasswordIsRefusedAndNothingChanges() {
        fixtures.practitioner("pw.wrong@example.com", true);
        JsonPath tokens = Tokens.password(APP, "pw.wrong@example.com");
        JsonPath other = Tokens.password(APP, "pw.wrong@example.com");

        change(tokens.getString("access_token"), "not the password", NEW_PASSWORD, "10.60.4.1")
                .statusCode(400)
                .body("detail", equalTo("Invalid credentials given."))
                .body("errors.currentPassword", contains("Invalid credentials given."));

        signIn("pw.wrong@example.com", IdentityFixtures.PASSWORD).then().statusCode(200);
        refresh(other.getString("refresh_token")).then().statusCode(200);
    }

    @Test
    void wrongCurrentPasswordsCountAsFailedSignInsAndLockTheAccount() {
        fixtures.practitioner("pw.guess@example.com", true);
        String access = Tokens.password(APP, "pw.guess@example.com").getString("access_token");
        for (int i = 0; i < 5; i++) {
            change(access, "guess number " + i, NEW_PASSWORD, "10.61.0." + i).statusCode(400);
        }

        change(access, IdentityFixtures.PASSWORD, NEW_PASSWORD, "10.61.0.99")
                .statusCode(429)
                .header("Retry-After", matchesPattern("[1-9][0-9]*"))
                .body("detail", containsString("Too many"));
        form().header("X-Forwarded-For", "10.61.0.98")
                .formParam("grant_type", "password").formParam("client_id", APP)
                .formParam("username", "pw.guess@example.com").formParam("password", IdentityFixtures.PASSWORD)
                .when().post("/o/token/")
                .then().statusCode(429);
    }

    @Test
    void thePolicyJudgesTheNewPassword() {
        fixtures.practitioner("pw.policy@example.com", true);
        String access = Tokens.password(APP, "pw.policy@example.com").getString("access_token");

        change(access, IdentityFixtures.PASSWORD, "too short", "10.62.0.1").statusCode(400)
                .body("errors.newPassword[0]", containsString("too short"));
        change(access, IdentityFixtures.PASSWORD, "1qaz2wsx3edc", "10.62.0.1").statusCode(400)
                .body("errors.newPassword[0]", containsString("too common"));
        change(access, IdentityFixtures.PASSWORD, "PW.Policy@example.com", "10.62.0.1").statusCode(400)
                .body("errors.newPassword[0]", containsString("email address"));
        change(access, IdentityFixtures.PASSWORD, IdentityFixtures.PASSWORD, "10.62.0.1").statusCode(400)
                .body("errors.newPassword", contains("Your new password must differ from your current password."));

        signIn("pw.policy@example.com", IdentityFixtures.PASSWORD).then().statusCode(200);
    }

    @Test
    void missingFieldsAreNamed() {
        fixtures.practitioner("pw.missing@example.com", true);
        String access = Tokens.password(APP, "pw.missing@example.com").getString("access_token");

        change(access, Map.of("newPassword", NEW_PASSWORD), "10.63.0.1").statusCode(400)
                .body("errors.currentPassword", contains("This field is required."));
        change(access, Map.of("currentPassword", IdentityFixtures.PASSWORD), "10.63.0.1").statusCode(400)
                .body("errors.newPassword", contains("This field is required."));
        given().auth().oauth2(access).contentType("application/json")
                .when().post("/o/password")
                .then().statusCode(400)
                .body("errors.currentPassword", contains("This field is required."));
        change(access, Map.of("currentPassword", 42, "newPassword", NEW_PASSWORD), "10.63.0.1").statusCode(400)
                .body("errors.currentPassword", contains("Must be a string."));
    }

    @Test
    void withoutAValidTokenItIs401() {
        given().contentType("application/json")
                .body(Map.of("currentPassword", IdentityFixtures.PASSWORD, "newPassword", NEW_PASSWORD))
                .when().post("/o/password")
                .then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"));
        change("not-a-token", IdentityFixtures.PASSWORD, NEW_PASSWORD, "10.64.0.1").statusCode(401);
    }

    @Test
    void aTokenWithoutAPersonIs403() {
        long owner = fixtures.practitioner("pw.robot@example.com", true);
        fixtures.automationClient("pw-robot", "pw-robot-secret-0123456789abcdef", owner);
        String robot = form().auth().preemptive().basic("pw-robot", "pw-robot-secret-0123456789abcdef")
                .formParam("grant_type", "client_credentials")
                .when().post("/o/token/")
                .then().statusCode(200).extract().path("access_token");

        change(Tokens.serviceToken(), IdentityFixtures.PASSWORD, NEW_PASSWORD, "10.65.0.1").statusCode(403);
        change(robot, IdentityFixtures.PASSWORD, NEW_PASSWORD, "10.65.0.1").statusCode(403);

        signIn("pw.robot@example.com", IdentityFixtures.PASSWORD).then().statusCode(200);
    }

    @Test
    void anAccountWithoutAPasswordHasNothingToChange() {
        long id = fixtures.practitioner("pw.none@example.com", true);
        String access = Tokens.password(APP, "pw.none@example.com").getString("access_token");
        pool.preparedQuery("UPDATE identity.jhe_user SET password_hash = NULL WHERE id = $1")
                .execute(Tuple.of(id)).await().indefinitely();

        change(access, IdentityFixtures.PASSWORD, NEW_PASSWORD, "10.66.0.1").statusCode(409)
                .body("detail", containsString("no password"));
    }

    @Test
    void noLogLineHoldsAPasswordOrAToken() {
        long id = fixtures.practitioner("pw.logs@example.com", true);
        JsonPath tokens = Tokens.password(APP, "pw.logs@example.com");
        String access = tokens.getString("access_token");
        try (LogCapture log = LogCapture.of("")) {
            change(access, "a wrong password typed", NEW_PASSWORD, "10.67.0.1").statusCode(400);
            change(access, IdentityFixtures.PASSWORD, "too short", "10.67.0.1").statusCode(400);
            change(access, IdentityFixtures.PASSWORD, NEW_PASSWORD, "10.67.0.1").statusCode(204);

            assertThat(log.lines()).as("the change was audited")
                    .anyMatch(line -> line.contains("event=password_changed user_id=" + id))
                    .anyMatch(line -> line.contains("event=password_change_refused user_id=" + id))
                    .noneMatch(line -> line.contains(access))
                    .noneMatch(line -> line.contains(tokens.getString("refresh_token")))
                    .noneMatch(line -> line.contains(NEW_PASSWORD))
                    .noneMatch(line -> line.contains(IdentityFixtures.PASSWORD))
                    .noneMatch(line -> line.contains("a wrong password typed"));
        }
    }
}
