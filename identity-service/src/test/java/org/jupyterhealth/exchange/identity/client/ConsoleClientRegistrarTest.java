package org.jupyterhealth.exchange.identity.client;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
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

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The web console's client, registered at start from its configured secret: a confidential client of the
 * authorization code flow, redirected only to the console's own pages under the public URL.
 */
@QuarkusTest
class ConsoleClientRegistrarTest {
    private static final String EMAIL = "console.user@example.com";
    private static final String CALLBACK = "http://localhost:8000/console/callback";
    private static final String SECRET = "jhe-console-dev-secret";

    @Inject
    IdentityFixtures fixtures;

    Pkce pkce;

    @BeforeEach
    void account() {
        fixtures.practitioner(EMAIL, true);
        pkce = Pkce.generate();
    }

    private Map<String, String> authorize(String redirectUri) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("response_type", "code");
        parameters.put("client_id", ConsoleClientRegistrar.CLIENT_ID);
        parameters.put("redirect_uri", redirectUri);
        parameters.put("code_challenge", pkce.challenge());
        parameters.put("code_challenge_method", "S256");
        parameters.put("scope", "openid email profile read write");
        parameters.put("state", "console-state");
        return parameters;
    }

    @Test
    void theConsoleSignsAUserInAndBuysTokensWithItsSecretAndVerifier() {
        Map<String, String> parameters = authorize(CALLBACK);
        String csrf = given().redirects().follow(false).queryParams(parameters).when().get("/o/authorize/")
                .then().statusCode(200).extract().cookie("jhe_csrf");
        Map<String, String> fields = new HashMap<>(parameters);
        fields.put("csrf_token", csrf);
        fields.put("email", EMAIL);
        fields.put("password", IdentityFixtures.PASSWORD);
        fields.put("action", "allow");
        Response redirect = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .header("X-Forwarded-For", "10.20.7.1").cookie("jhe_csrf", csrf).formParams(fields)
                .when().post("/o/authorize/");
        redirect.then().statusCode(302).header("Location", startsWith(CALLBACK + "?code="));
        String code = query(redirect.getHeader("Location")).get("code");

        // without the client's secret the code buys nothing, and a refused try does not use it up
        form().formParam("grant_type", "authorization_code").formParam("code", code)
                .formParam("redirect_uri", CALLBACK).formParam("client_id", ConsoleClientRegistrar.CLIENT_ID)
                .formParam("code_verifier", pkce.verifier())
                .when().post("/o/token/").then().statusCode(401).body("error", equalTo("invalid_client"));
        form().auth().preemptive().basic(ConsoleClientRegistrar.CLIENT_ID, SECRET)
                .formParam("grant_type", "authorization_code").formParam("code", code)
                .formParam("redirect_uri", CALLBACK).formParam("code_verifier", pkce.verifier())
                .when().post("/o/token/").then().statusCode(200)
                .body("access_token", notNullValue()).body("id_token", notNullValue())
                .body("refresh_token", notNullValue());
    }

    @Test
    void theConsoleIsSentBackToItsOwnPagesOnly() {
        given().redirects().follow(false).queryParams(authorize("http://localhost:8000/elsewhere")).when()
                .get("/o/authorize/").then().statusCode(400);
        given().redirects().follow(false).queryParams(Map.of("client_id", ConsoleClientRegistrar.CLIENT_ID,
                "post_logout_redirect_uri", "http://localhost:8000/console/signed-out")).when().get("/o/logout/")
                .then().statusCode(302).header("Location", startsWith("http://localhost:8000/console/signed-out"));
        given().redirects().follow(false).queryParams(Map.of("client_id", ConsoleClientRegistrar.CLIENT_ID,
                "post_logout_redirect_uri", "https://evil.example/")).when().get("/o/logout/")
                .then().statusCode(400);
    }

    @Test
    void theConsoleClientIsNoServiceClient() {
        form().auth().preemptive().basic(ConsoleClientRegistrar.CLIENT_ID, SECRET)
                .formParam("grant_type", "client_credentials")
                .when().post("/o/token/").then().statusCode(400).body("error", equalTo("unauthorized_client"));
    }

    private static Map<String, String> query(String location) {
        Map<String, String> result = new HashMap<>();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            String[] parts = pair.split("=", 2);
            result.put(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return result;
    }
}
