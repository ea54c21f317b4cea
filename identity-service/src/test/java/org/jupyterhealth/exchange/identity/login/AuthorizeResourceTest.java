package org.jupyterhealth.exchange.identity.login;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.jupyterhealth.exchange.identity.support.Tokens.form;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.identity.support.IdentityFixtures;
import org.jupyterhealth.exchange.identity.support.Pkce;
import org.jupyterhealth.exchange.identity.support.RawHttp;
import org.jupyterhealth.exchange.identity.support.Tokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The authorization endpoint and its sign-in page (RFC 6749 §4.1, RFC 7636), as a browser would use it. */
@QuarkusTest
class AuthorizeResourceTest {
    private static final String EMAIL = "browser.user@example.com";

    @Inject
    IdentityFixtures fixtures;

    Pkce pkce;

    @BeforeEach
    void accountAndClients() {
        fixtures.practitioner(EMAIL, true);
        fixtures.publicClient("web-app", "authorization_code refresh_token");
        fixtures.thirdPartyClient("third-party-app", "authorization_code");
        fixtures.publicClient("scripts-only", "password");
        pkce = Pkce.generate();
    }

    private Map<String, String> authorizeParameters(String clientId) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("response_type", "code");
        parameters.put("client_id", clientId);
        parameters.put("redirect_uri", IdentityFixtures.CALLBACK);
        parameters.put("code_challenge", pkce.challenge());
        parameters.put("code_challenge_method", "S256");
        parameters.put("scope", "openid read write");
        parameters.put("state", "xyz-123");
        return parameters;
    }

    private static Response show(Map<String, String> parameters) {
        return given().redirects().follow(false).queryParams(parameters).when().get("/o/authorize/");
    }

    /** Submits the sign-in form as the browser would: the page's CSRF cookie and hidden fields. */
    private static Response submit(Map<String, String> parameters, String csrf, String email, String password,
            String address) {
        Map<String, String> fields = new HashMap<>(parameters);
        fields.put("csrf_token", csrf);
        fields.put("email", email);
        fields.put("password", password);
        fields.put("action", "allow");
        return given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .header("X-Forwarded-For", address).cookie("jhe_csrf", csrf).formParams(fields)
                .when().post("/o/authorize/");
    }

    /** The query parameters of a redirect's location, decoded. */
    static Map<String, String> query(String location) {
        Map<String, String> result = new HashMap<>();
        String query = URI.create(location).getRawQuery();
        for (String pair : query.split("&")) {
            String[] parts = pair.split("=", 2);
            result.put(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return result;
    }

    @Test
    void showsASignInPageWithACsrfCookieAndTheSameTokenInTheForm() {
        Response page = show(authorizeParameters("web-app"));

        page.then().statusCode(200)
                .contentType(startsWith("text/html"))
                .header("Cache-Control", "no-store")
                .header("X-Frame-Options", "DENY")
                .header("Set-Cookie", containsString("HttpOnly"))
                .header("Set-Cookie", containsString("SameSite=Strict"))
                .body(containsString("type=\"password\""))
                .body(containsString("<a href=\"http://localhost:8000/o/forgot\">Forgot your password?</a>"))
                .body(not(containsString("asks to access")));
        String csrf = page.getCookie("jhe_csrf");
        assertThat(csrf).matches("[A-Za-z0-9_-]{43}");
        assertThat(page.asString()).contains("name=\"csrf_token\" value=\"" + csrf + "\"");
    }

    @Test
    void theGuidesCodeFlowSignsInRedirectsWithCodeAndStateAndTheCodeBuysTokens() {
        Map<String, String> parameters = authorizeParameters("web-app");
        String csrf = show(parameters).getCookie("jhe_csrf");

        Response redirect = submit(parameters, csrf, EMAIL, IdentityFixtures.PASSWORD, "10.20.0.1");

        redirect.then().statusCode(302).header("Location", startsWith(IdentityFixtures.CALLBACK + "?code="));
        Map<String, String> answer = query(redirect.getHeader("Location"));
        assertThat(answer.get("state")).isEqualTo("xyz-123");
        String access = form().formParam("grant_type", "authorization_code").formParam("code", answer.get("code"))
                .formParam("redirect_uri", IdentityFixtures.CALLBACK).formParam("client_id", "web-app")
                .formParam("code_verifier", pkce.verifier())
                .when().post("/o/token/")
                .then().statusCode(200)
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(36000))
                .body("scope", equalTo("openid read write"))
                .body("refresh_token", matchesPattern("[A-Za-z0-9_-]{43}"))
                .extract().path("access_token");
        assertThat(Tokens.claims(access).getString("email")).isEqualTo(EMAIL);
    }

    @Test
    void aWrongPasswordAndAnUnknownAccountGetTheSameMessage() {
        Map<String, String> parameters = authorizeParameters("web-app");
        String csrf = show(parameters).getCookie("jhe_csrf");

        String wrongPassword = submit(parameters, csrf, EMAIL, "wrong", "10.21.0.1")
                .then().statusCode(200).header("Location", nullValue()).extract().asString();
        String unknown = submit(parameters, csrf, "nobody.here@example.com", "wrong", "10.21.0.2")
                .then().statusCode(200).header("Location", nullValue()).extract().asString();

        assertThat(wrongPassword).contains("Invalid email or password.");
        assertThat(unknown).contains("Invalid email or password.");
    }

    @Test
    void refusesAFormPostedWithoutTheCsrfCookieOrWithAnotherToken() {
        Map<String, String> parameters = authorizeParameters("web-app");
        String csrf = show(parameters).getCookie("jhe_csrf");
        Map<String, String> fields = new HashMap<>(parameters);
        fields.put("csrf_token", csrf);
        fields.put("email", EMAIL);
        fields.put("password", IdentityFixtures.PASSWORD);

        given().redirects().follow(false).contentType("application/x-www-form-urlencoded").formParams(fields)
                .when().post("/o/authorize/")
                .then().statusCode(403).header("Location", nullValue());
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie("jhe_csrf", "A".repeat(43)).formParams(fields)
                .when().post("/o/authorize/")
                .then().statusCode(403).header("Location", nullValue());
    }

    @Test
    void repeatedFailuresLockTheSignInWithAGenericMessage() {
        fixtures.practitioner("browser.locked@example.com", true);
        Map<String, String> parameters = authorizeParameters("web-app");
        String csrf = show(parameters).getCookie("jhe_csrf");
        for (int i = 0; i < 5; i++) {
            submit(parameters, csrf, "browser.locked@example.com", "wrong-" + i, "10.22.0." + i).then().statusCode(200);
        }

        submit(parameters, csrf, "browser.locked@example.com", IdentityFixtures.PASSWORD, "10.22.0.99")
                .then().statusCode(429)
                .header("Retry-After", matchesPattern("[1-9][0-9]*"))
                .header("Location", nullValue())
                .body(containsString("Too many failed sign-in attempts. Try again later."));
    }

    @Test
    void anUnknownClientGetsAnErrorPageNeverARedirect() {
        Map<String, String> parameters = authorizeParameters("no-such-app");

        show(parameters).then().statusCode(400).header("Location", nullValue())
                .body(containsString("not known"));
    }

    @Test
    void anUnregisteredRedirectUriGetsAnErrorPageNeverARedirect() {
        Map<String, String> parameters = authorizeParameters("web-app");
        parameters.put("redirect_uri", "https://attacker.example/steal");

        show(parameters).then().statusCode(400).header("Location", nullValue());
    }

    @Test
    void aRedirectUriMustMatchExactlyNotByPrefix() {
        Map<String, String> parameters = authorizeParameters("web-app");
        parameters.put("redirect_uri", IdentityFixtures.CALLBACK + "/../evil");

        show(parameters).then().statusCode(400).header("Location", nullValue());
    }

    @Test
    void withoutRedirectUriAClientWithSeveralGetsAnErrorPage() {
        Map<String, String> parameters = authorizeParameters("web-app");
        parameters.remove("redirect_uri");

        show(parameters).then().statusCode(400).header("Location", nullValue());
    }

    @Test
    void aMissingCodeChallengeIsSentBackToTheClientWithTheState() {
        Map<String, String> parameters = authorizeParameters("web-app");
        parameters.remove("code_challenge");

        Response response = show(parameters);

        response.then().statusCode(302).header("Location", startsWith(IdentityFixtures.CALLBACK + "?error="));
        assertThat(query(response.getHeader("Location")))
                .containsEntry("error", "invalid_request")
                .containsEntry("state", "xyz-123");
    }

    @Test
    void thePlainChallengeMethodIsRefused() {
        Map<String, String> parameters = authorizeParameters("web-app");
        parameters.put("code_challenge_method", "plain");

        assertThat(query(show(parameters).then().statusCode(302).extract().header("Location")))
                .containsEntry("error", "invalid_request");
    }

    @Test
    void anotherResponseTypeIsUnsupported() {
        Map<String, String> parameters = authorizeParameters("web-app");
        parameters.put("response_type", "token");

        assertThat(query(show(parameters).then().statusCode(302).extract().header("Location")))
                .containsEntry("error", "unsupported_response_type");
    }

    @Test
    void anUnknownScopeIsInvalidScope() {
        Map<String, String> parameters = authorizeParameters("web-app");
        parameters.put("scope", "read superpowers");

        assertThat(query(show(parameters).then().statusCode(302).extract().header("Location")))
                .containsEntry("error", "invalid_scope");
    }

    @Test
    void aClientNotAllowedTheCodeGrantIsUnauthorized() {
        assertThat(query(show(authorizeParameters("scripts-only")).then().statusCode(302).extract()
                .header("Location")))
                .containsEntry("error", "unauthorized_client");
    }

    @Test
    void aRepeatedParameterIsAnInvalidRequest() {
        Response response = given().redirects().follow(false)
                .queryParams(authorizeParameters("web-app")).queryParam("scope", "read")
                .when().get("/o/authorize");

        assertThat(query(response.then().statusCode(302).extract().header("Location")))
                .containsEntry("error", "invalid_request");
    }

    @Test
    void aThirdPartyClientIsShownWhatItAsksAndCanBeDenied() {
        Map<String, String> parameters = authorizeParameters("third-party-app");
        Response page = show(parameters);
        page.then().statusCode(200).body(containsString("asks to access your account"))
                .body(containsString("value=\"deny\""));
        String csrf = page.getCookie("jhe_csrf");
        Map<String, String> fields = new HashMap<>(parameters);
        fields.put("csrf_token", csrf);
        fields.put("action", "deny");

        Response denied = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie("jhe_csrf", csrf).formParams(fields)
                .when().post("/o/authorize");

        assertThat(query(denied.then().statusCode(302).extract().header("Location")))
                .containsEntry("error", "access_denied")
                .containsEntry("state", "xyz-123");
    }

    @Test
    void whatTheRequestCarriesIsEscapedInThePage() {
        Map<String, String> parameters = authorizeParameters("web-app");
        parameters.put("state", "\"><script>alert(1)</script>");

        String page = show(parameters).then().statusCode(200).extract().asString();

        assertThat(page).doesNotContain("<script>alert(1)</script>");
    }

    @Test
    void aControlCharacterInTheQueryGetsTheErrorPageNamingTheParameter() {
        given().redirects().follow(false).urlEncodingEnabled(false)
                .when().get("/o/authorize/?response_type=code&client_id=web%00-app&code_challenge="
                        + pkce.challenge() + "&code_challenge_method=S256")
                .then().statusCode(400)
                .contentType(startsWith("text/html"))
                .header("Location", nullValue())
                .body(containsString("client_id contains a control character."));
    }

    @Test
    void aQueryOrFormThatCannotBeDecodedIsA400NotAServerError() {
        // the HTTP layer refuses a request target that is not a URI before any resource sees it
        assertThat(RawHttp.get("/o/authorize/?%zz=%")).startsWith("HTTP/1.1 400");

        given().redirects().follow(false).contentType("application/x-www-form-urlencoded").body("%zz=%")
                .when().post("/o/authorize/")
                .then().statusCode(400)
                .contentType(startsWith("text/html"))
                .body(containsString("This request cannot be read"));
    }

    @Test
    void aScopeOfManyKilobytesInTheSignInFormIsRefusedWithAnAnswer() {
        Map<String, String> parameters = authorizeParameters("web-app");
        String csrf = show(parameters).getCookie("jhe_csrf");

        for (int length : new int[] { 10_000, 1 << 20 }) {
            parameters.put("scope", "r".repeat(length));
            Response answer = submit(parameters, csrf, EMAIL, IdentityFixtures.PASSWORD, "10.20.9.2");

            assertThat(answer.statusCode()).as("scope of %d characters", length).isIn(302, 400);
            if (answer.statusCode() == 302) {
                assertThat(query(answer.header("Location"))).containsEntry("error", "invalid_scope");
                assertThat(answer.header("Location")).as("what the redirect carries back").hasSizeLessThan(1024);
            } else {
                assertThat(answer.asString()).contains("scope");
            }
        }
    }

    @Test
    void aControlCharacterInTheSignInFormIsRefusedNamingTheField() {
        Map<String, String> parameters = authorizeParameters("web-app");
        String csrf = show(parameters).getCookie("jhe_csrf");

        submit(parameters, csrf, "browser.user\u0000@example.com", IdentityFixtures.PASSWORD, "10.20.9.1")
                .then().statusCode(400)
                .contentType(startsWith("text/html"))
                .header("Location", nullValue())
                .body(containsString("email contains a control character."));
    }

    @Test
    void theSignInCookieFollowsTheConfiguredPublicUrlNotAForwardedScheme() {
        given().redirects().follow(false).header("X-Forwarded-Proto", "https")
                .queryParams(authorizeParameters("web-app")).when().get("/o/authorize/")
                .then().statusCode(200)
                .header("Set-Cookie", not(containsString("Secure")));
    }
}
