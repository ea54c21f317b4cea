package org.jupyterhealth.exchange.identity.login;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.jupyterhealth.exchange.identity.login.AuthorizeResourceTest.query;
import static org.jupyterhealth.exchange.identity.support.Tokens.form;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.identity.support.IdentityFixtures;
import org.jupyterhealth.exchange.identity.support.Pkce;
import org.jupyterhealth.exchange.identity.token.RandomTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Browser sign-in sessions at the authorization endpoint (OpenID Connect {@code prompt}) and signing out
 * (RP-Initiated Logout), as a browser holding the cookies would.
 */
@QuarkusTest
class SignInSessionTest {
    private static final String EMAIL = "session.user@example.com";

    @Inject
    IdentityFixtures fixtures;

    @Inject
    Pool pool;

    Pkce pkce;

    @BeforeEach
    void accountAndClients() {
        fixtures.practitioner(EMAIL, true);
        fixtures.publicClient("web-app", "authorization_code refresh_token");
        fixtures.thirdPartyClient("third-party-app", "authorization_code");
        pkce = Pkce.generate();
    }

    private Map<String, String> authorize(String clientId, String prompt) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("response_type", "code");
        parameters.put("client_id", clientId);
        parameters.put("redirect_uri", IdentityFixtures.CALLBACK);
        parameters.put("code_challenge", pkce.challenge());
        parameters.put("code_challenge_method", "S256");
        parameters.put("scope", "openid read");
        parameters.put("state", "st-1");
        if (prompt != null) {
            parameters.put("prompt", prompt);
        }
        return parameters;
    }

    private static Response show(Map<String, String> parameters, String session) {
        var request = given().redirects().follow(false).queryParams(parameters);
        if (session != null) {
            request.cookie(SignInSessions.COOKIE, session);
        }
        return request.when().get("/o/authorize/");
    }

    /** Signs in with the password on the page: the session cookie the browser then holds. */
    private String signIn(String address) {
        Map<String, String> parameters = authorize("web-app", null);
        String csrf = show(parameters, null).getCookie("jhe_csrf");
        Map<String, String> fields = new HashMap<>(parameters);
        fields.put("csrf_token", csrf);
        fields.put("email", EMAIL);
        fields.put("password", IdentityFixtures.PASSWORD);
        fields.put("action", "allow");
        Response answer = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .header("X-Forwarded-For", address).cookie("jhe_csrf", csrf).formParams(fields)
                .when().post("/o/authorize/");
        answer.then().statusCode(302).header("Location", startsWith(IdentityFixtures.CALLBACK + "?code="));
        Cookie session = answer.getDetailedCookie(SignInSessions.COOKIE);
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getPath()).isEqualTo("/o");
        assertThat(session.getSameSite()).isEqualTo("Lax");
        assertThat(session.getMaxAge()).isEqualTo(8 * 3600);
        return session.getValue();
    }

    /** Whether the database holds the session of this cookie (by its hash, as it keeps it). */
    private long stored(String session) {
        return pool.preparedQuery("SELECT count(*) FROM identity.sign_in_session WHERE token_hash = $1")
                .execute(Tuple.of(RandomTokens.sha256Hex(session))).await().indefinitely().iterator().next()
                .getLong(0);
    }

    @Test
    void aSignedInBrowserGetsTheCodeOfAFirstPartyClientWithoutThePageAndTheCodeBuysTokens() {
        String session = signIn("10.40.0.1");

        Response again = show(authorize("web-app", null), session);

        again.then().statusCode(302).header("Location", startsWith(IdentityFixtures.CALLBACK + "?code="));
        Map<String, String> answer = query(again.getHeader("Location"));
        assertThat(answer.get("state")).isEqualTo("st-1");
        form().formParam("grant_type", "authorization_code").formParam("code", answer.get("code"))
                .formParam("redirect_uri", IdentityFixtures.CALLBACK).formParam("client_id", "web-app")
                .formParam("code_verifier", pkce.verifier())
                .when().post("/o/token/")
                .then().statusCode(200).body("token_type", equalTo("Bearer"));
        // only the hash of the cookie is stored
        assertThat(stored(session)).isEqualTo(1);
        assertThat(pool.preparedQuery("SELECT count(*) FROM identity.sign_in_session WHERE token_hash = $1")
                .execute(Tuple.of(session)).await().indefinitely().iterator().next().getLong(0)).isZero();
    }

    @Test
    void promptLoginAsksForThePasswordAgainAndPromptNoneNeverShowsAPage() {
        String session = signIn("10.40.0.2");

        show(authorize("web-app", "login"), session).then().statusCode(200)
                .body(containsString("type=\"password\""));
        show(authorize("web-app", "none"), session).then().statusCode(302)
                .header("Location", startsWith(IdentityFixtures.CALLBACK + "?code="));
        Response none = show(authorize("web-app", "none"), null);
        none.then().statusCode(302);
        assertThat(query(none.getHeader("Location"))).containsEntry("error", "login_required")
                .containsEntry("state", "st-1");
        Response consent = show(authorize("third-party-app", "none"), session);
        assertThat(query(consent.getHeader("Location"))).containsEntry("error", "consent_required");
        Response bad = show(authorize("web-app", "none login"), session);
        assertThat(query(bad.getHeader("Location"))).containsEntry("error", "invalid_request");
        assertThat(query(show(authorize("web-app", "sometimes"), session).getHeader("Location")))
                .containsEntry("error", "invalid_request");
    }

    @Test
    void aThirdPartyClientIsOnlyAllowedBySignedInBrowserWithoutThePassword() {
        String session = signIn("10.40.0.3");
        Map<String, String> parameters = authorize("third-party-app", null);

        Response page = show(parameters, session);
        page.then().statusCode(200)
                .body(containsString("Signed in as <strong>" + EMAIL + "</strong>"))
                .body(not(containsString("type=\"password\"")));
        String csrf = page.getCookie("jhe_csrf");
        Map<String, String> fields = new HashMap<>(parameters);
        fields.put("csrf_token", csrf);
        fields.put("session", "1");
        fields.put("action", "allow");

        Response allowed = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie("jhe_csrf", csrf).cookie(SignInSessions.COOKIE, session).formParams(fields)
                .when().post("/o/authorize/");
        allowed.then().statusCode(302).header("Location", startsWith(IdentityFixtures.CALLBACK + "?code="));
        // the same form without the session is no sign-in: the page asks for the password
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie("jhe_csrf", csrf).formParams(fields)
                .when().post("/o/authorize/")
                .then().statusCode(200).body(containsString("Your session has ended. Sign in again."))
                .body(containsString("type=\"password\""));
    }

    @Test
    void aForgedExpiredOrMalformedSessionCookieIsNoSession() {
        String session = signIn("10.40.0.4");
        pool.preparedQuery("UPDATE identity.sign_in_session SET expires_at = now() - interval '1 second' "
                + "WHERE token_hash = $1").execute(Tuple.of(RandomTokens.sha256Hex(session))).await().indefinitely();

        for (String cookie : new String[] { session, "A".repeat(43), "not-a-session", "" }) {
            show(authorize("web-app", null), cookie).then().statusCode(200)
                    .body(containsString("type=\"password\""));
        }
    }

    @Test
    void signingOutAsksToConfirmEndsTheSessionAndGoesToTheClientsRegisteredAddressOnly() {
        String session = signIn("10.40.0.5");
        Map<String, String> logout = Map.of("client_id", "web-app", "post_logout_redirect_uri",
                IdentityFixtures.CALLBACK, "state", "bye-1");

        Response confirm = given().redirects().follow(false).cookie(SignInSessions.COOKIE, session)
                .queryParams(logout).when().get("/o/logout/");
        confirm.then().statusCode(200).body(containsString("Sign out of JupyterHealth Exchange?"))
                .body(containsString(EMAIL));
        String csrf = confirm.getCookie("jhe_csrf");
        // without the page's CSRF token nothing is ended
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie(SignInSessions.COOKIE, session).formParams(logout)
                .when().post("/o/logout/").then().statusCode(403);
        assertThat(stored(session)).isEqualTo(1);

        Map<String, String> fields = new HashMap<>(logout);
        fields.put("csrf_token", csrf);
        Response out = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie("jhe_csrf", csrf).cookie(SignInSessions.COOKIE, session).formParams(fields)
                .when().post("/o/logout/");

        out.then().statusCode(302).header("Location", equalTo(IdentityFixtures.CALLBACK + "?state=bye-1"));
        assertThat(out.getDetailedCookie(SignInSessions.COOKIE).getMaxAge()).isZero();
        assertThat(stored(session)).isZero();
        show(authorize("web-app", null), session).then().statusCode(200).body(containsString("type=\"password\""));
    }

    @Test
    void anUnregisteredOrClientlessAddressAfterSignOutIsShownNeverFollowed() {
        given().redirects().follow(false)
                .queryParams(Map.of("client_id", "web-app", "post_logout_redirect_uri", "https://evil.example/x"))
                .when().get("/o/logout/")
                .then().statusCode(400).body(containsString("is not registered"));
        given().redirects().follow(false)
                .queryParams(Map.of("post_logout_redirect_uri", IdentityFixtures.CALLBACK))
                .when().get("/o/logout/")
                .then().statusCode(400).body(containsString("needs the client_id"));
        // no session, no address: the signed-out page at once
        given().redirects().follow(false).when().get("/o/logout/")
                .then().statusCode(200).body(containsString("You are signed out"));
    }

    @Test
    void discoveryNamesTheEndSessionEndpointAndThePromptValues() {
        given().when().get("/o/.well-known/openid-configuration")
                .then().statusCode(200)
                .body("end_session_endpoint", equalTo("http://localhost:8000/o/logout/"))
                .body("prompt_values_supported", org.hamcrest.Matchers.hasItems("none", "login", "consent"));
    }
}
