package org.jupyterhealth.exchange.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The guide's "Authentication" curl sequences, through the gateway against the whole running system: discovery,
 * the practitioner's PKCE code flow with the sign-in page, refresh, the patient's invitation code, and a revoked
 * token refused by admin-service within 5 seconds.
 */
@Order(2)
@ExtendWith(SystemStack.class)
class OAuthFlowsIT {
    private static final String CALLBACK = SystemStack.BASE_URL + "/auth/callback";
    /** The local run's static invitation verifier (identity-service and admin-service, profile local). */
    private static final String STATIC_VERIFIER = "jhe-patient-invitation-static-code-verifier-0000000000000";

    private static RequestSpecification form() {
        return given().contentType("application/x-www-form-urlencoded");
    }

    @Test
    void discoveryNamesEveryEndpointUnderTheGateway() {
        given()
                .when().get("/o/.well-known/openid-configuration")
                .then().statusCode(200)
                .body("authorization_endpoint", equalTo(SystemStack.BASE_URL + "/o/authorize/"))
                .body("token_endpoint", equalTo(SystemStack.BASE_URL + "/o/token/"))
                .body("userinfo_endpoint", equalTo(SystemStack.BASE_URL + "/o/userinfo/"))
                .body("grant_types_supported", hasItems("authorization_code", "refresh_token"))
                .body("code_challenge_methods_supported", hasItems("S256"));
        given().when().get("/o/.well-known/jwks.json").then().statusCode(200).body("keys[0].alg", equalTo("RS256"));
    }

    @Test
    void aPractitionerSignsInWithTheCodeFlowRefreshesAndReadsHerProfile() throws Exception {
        // Step 1: PKCE parameters, as the guide's Python makes them
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));

        // Step 2: the authorization URL, the sign-in page, the redirect with the code
        Map<String, String> authorize = new LinkedHashMap<>();
        authorize.put("response_type", "code");
        authorize.put("client_id", "jhe-admin-ui");
        authorize.put("redirect_uri", CALLBACK);
        authorize.put("code_challenge", challenge);
        authorize.put("code_challenge_method", "S256");
        authorize.put("scope", "read write");
        authorize.put("state", "guide-state");
        Response page = given().redirects().follow(false).queryParams(authorize).when().get("/o/authorize/");
        page.then().statusCode(200);
        String csrf = page.getCookie("jhe_csrf");
        Map<String, String> fields = new HashMap<>(authorize);
        fields.put("csrf_token", csrf);
        fields.put("email", "manager_mary@example.com");
        fields.put("password", "Jhe1234!");
        Response redirect = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie("jhe_csrf", csrf).formParams(fields)
                .when().post("/o/authorize/");
        redirect.then().statusCode(302).header("Location", startsWith(CALLBACK + "?code="));
        Map<String, String> answer = query(redirect.getHeader("Location"));
        assertThat(answer).containsEntry("state", "guide-state");

        // Step 3: exchange the code
        JsonPath tokens = form()
                .formParam("grant_type", "authorization_code").formParam("code", answer.get("code"))
                .formParam("redirect_uri", CALLBACK).formParam("client_id", "jhe-admin-ui")
                .formParam("code_verifier", verifier)
                .when().post("/o/token/")
                .then().statusCode(200)
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(36000))
                .body("scope", equalTo("read write"))
                .extract().jsonPath();
        given().auth().oauth2(tokens.getString("access_token"))
                .when().get("/api/v1/users/profile")
                .then().statusCode(200).body("email", equalTo("manager_mary@example.com"));

        // Step 4: refresh; the old refresh token is spent
        JsonPath refreshed = form()
                .formParam("grant_type", "refresh_token").formParam("refresh_token", tokens.getString("refresh_token"))
                .formParam("client_id", "jhe-admin-ui")
                .when().post("/o/token/")
                .then().statusCode(200)
                .body("refresh_token", not(equalTo(tokens.getString("refresh_token"))))
                .extract().jsonPath();
        given().auth().oauth2(refreshed.getString("access_token"))
                .when().get("/api/v1/users/profile").then().statusCode(200);

        // Step 5: the browser stays signed in: the next authorization goes straight back with a code, unless the
        // client asks for the password again
        String session = redirect.getCookie("jhe_session");
        given().redirects().follow(false).cookie("jhe_session", session).queryParams(authorize)
                .when().get("/o/authorize/")
                .then().statusCode(302).header("Location", startsWith(CALLBACK + "?code="));
        Map<String, String> again = new HashMap<>(authorize);
        again.put("prompt", "login");
        given().redirects().follow(false).cookie("jhe_session", session).queryParams(again)
                .when().get("/o/authorize/")
                .then().statusCode(200).body(containsString("type=\"password\""));

        // Step 6: signing out, confirmed on the page, back to the client's registered address
        Map<String, String> logout = Map.of("client_id", "jhe-admin-ui", "post_logout_redirect_uri", CALLBACK,
                "state", "after");
        Response confirm = given().redirects().follow(false).cookie("jhe_session", session).queryParams(logout)
                .when().get("/o/logout/");
        confirm.then().statusCode(200).body(containsString("manager_mary@example.com"));
        Map<String, String> signOut = new HashMap<>(logout);
        signOut.put("csrf_token", confirm.getCookie("jhe_csrf"));
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie("jhe_csrf", confirm.getCookie("jhe_csrf")).cookie("jhe_session", session).formParams(signOut)
                .when().post("/o/logout/")
                .then().statusCode(302).header("Location", equalTo(CALLBACK + "?state=after"));
        given().redirects().follow(false).cookie("jhe_session", session).queryParams(authorize)
                .when().get("/o/authorize/")
                .then().statusCode(200).body(containsString("type=\"password\""));
    }

    /** The SMART EHR launch's exchange of an EHR ID token, by the seeded confidential client. */
    private static io.restassured.response.ValidatableResponse exchange(String idToken) {
        return form().auth().preemptive().basic("sof-ehr-launch", "sof-ehr-launch-dev-secret")
                .formParam("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange")
                .formParam("subject_token", idToken)
                .formParam("subject_token_type", "urn:ietf:params:oauth:token-type:id_token")
                .when().post("/o/token-exchange/")
                .then();
    }

    @Test
    void anEhrsIdTokenIsExchangedForATokenOfThePractitionerItNamesAndForgeriesAreRefused() {
        String practitioner = "Practitioner/fhir-222";
        String token = exchange(EhrIssuer.idToken(EhrIssuer.issuer(), practitioner,
                java.time.Instant.now().plusSeconds(300)))
                .statusCode(200)
                .body("issued_token_type", equalTo("urn:ietf:params:oauth:token-type:access_token"))
                .extract().path("access_token");
        given().auth().oauth2(token).when().get("/api/v1/users/profile")
                .then().statusCode(200).body("email", equalTo("manager_mary@example.com"));

        exchange(EhrIssuer.forged(practitioner)).statusCode(400).body("error", equalTo("invalid_grant"));
        exchange(EhrIssuer.idToken(EhrIssuer.issuer(), practitioner, java.time.Instant.now().minusSeconds(120)))
                .statusCode(400).body("error", equalTo("invalid_grant"));
        exchange(EhrIssuer.idToken("https://ehr.untrusted.example/fhir", practitioner,
                java.time.Instant.now().plusSeconds(300)))
                .statusCode(400).body("error", equalTo("invalid_grant"));
        exchange(EhrIssuer.idToken(EhrIssuer.issuer(), "Practitioner/no-such-practitioner",
                java.time.Instant.now().plusSeconds(300)))
                .statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void aPatientsInvitationCodeIsExchangedWithTheStaticVerifier() {
        // what admin-service does for GET /api/v1/patients/{id}/invitation_link (identity-service is not routed
        // by the gateway: this is the service-to-service call, made directly)
        String serviceToken = given().baseUri("http://127.0.0.1").port(SystemStack.IDENTITY_PORT)
                .auth().preemptive().basic("admin-service", "admin-service-dev-secret")
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .when().post("/o/token")
                .then().statusCode(200).extract().path("access_token");
        String code = given().baseUri("http://127.0.0.1").port(SystemStack.IDENTITY_PORT)
                .auth().oauth2(serviceToken).contentType("application/json")
                .body("{\"userId\": 10006, \"clientId\": 1, \"scope\": \"openid\", \"expiresInSeconds\": 1209600}")
                .when().post("/internal/authorization-codes")
                .then().statusCode(201).extract().path("code");

        // the guide's Step 2: the patient's app exchanges it through the gateway
        String access = form()
                .formParam("grant_type", "authorization_code").formParam("code", code)
                .formParam("redirect_uri", CALLBACK).formParam("client_id", "carex")
                .formParam("code_verifier", STATIC_VERIFIER)
                .when().post("/o/token/")
                .then().statusCode(200).extract().path("access_token");
        given().auth().oauth2(access).when().get("/api/v1/users/profile")
                .then().statusCode(200).body("id", equalTo(10006));
    }

    @Test
    void theInternalEndpointsAreNotReachableThroughTheGateway() {
        given().when().post("/internal/authorization-codes").then().statusCode(404);
    }

    @Test
    void aRevokedAccessTokenIsRefusedByAdminServiceWithin5Seconds() {
        String access = EndToEndIT.passwordToken("member_megan@example.com");
        given().auth().oauth2(access).when().get("/api/v1/users/profile").then().statusCode(200);

        form().formParam("client_id", "jhe-demo").formParam("token", access)
                .when().post("/o/revoke_token/").then().statusCode(200);

        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().auth().oauth2(access).when().get("/api/v1/users/profile").then().statusCode(401));
    }

    @Test
    void aServiceTokenIsNeverGivenToAUsersClient() {
        form().formParam("grant_type", "password").formParam("client_id", "jhe-demo")
                .formParam("username", "admin@example.com").formParam("password", "Jhe1234!")
                .formParam("scope", "internal")
                .when().post("/o/token/")
                .then().statusCode(400).body("error", equalTo("invalid_scope"));
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
