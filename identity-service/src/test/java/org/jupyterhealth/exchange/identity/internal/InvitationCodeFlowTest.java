package org.jupyterhealth.exchange.identity.internal;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;
import static org.jupyterhealth.exchange.identity.support.Tokens.form;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.identity.support.IdentityFixtures;
import org.jupyterhealth.exchange.identity.support.Tokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/**
 * Patient invitations (docs/compatibility.md#invitations): admin-service asks for a code for the patient, the patient's
 * app exchanges it at /o/token with its PKCE verifier. Both flows, and every way the exchange is refused.
 */
@QuarkusTest
class InvitationCodeFlowTest {
    /** %test.jhe.identity.patient-invitation.code-verifier */
    static final String STATIC_VERIFIER = "jhe-test-patient-invitation-static-verifier-00001";

    @Inject
    IdentityFixtures fixtures;

    long patientId;
    long appPk;

    @BeforeEach
    void patientAndApp() {
        patientId = fixtures.patient("invited.patient@example.com");
        appPk = fixtures.publicClient("patient-app", "authorization_code refresh_token");
        fixtures.publicClient("other-patient-app", "authorization_code refresh_token");
        fixtures.publicClient("password-only", "password");
    }

    private JsonPath invitation(Map<String, Object> overrides) {
        Map<String, Object> body = new HashMap<>(Map.of("userId", patientId, "clientId", appPk,
                "scope", "openid email", "expiresInSeconds", 1209600));
        body.putAll(overrides);
        return given().auth().oauth2(Tokens.serviceToken()).contentType("application/json").body(body)
                .when().post("/internal/authorization-codes")
                .then().statusCode(201).extract().jsonPath();
    }

    private static ValidatableResponse exchange(String clientId, String code, String redirectUri, String verifier) {
        var request = form().formParam("grant_type", "authorization_code").formParam("client_id", clientId)
                .formParam("code", code);
        if (redirectUri != null) {
            request.formParam("redirect_uri", redirectUri);
        }
        if (verifier != null) {
            request.formParam("code_verifier", verifier);
        }
        return request.when().post("/o/token/").then();
    }

    @Test
    void theGuidesInvitationLinkCodeIsExchangedWithTheStaticVerifier() {
        JsonPath code = invitation(Map.of());
        assertThat(code.getString("code")).matches("[A-Za-z0-9]{30}");
        assertThat(code.getString("clientId")).isEqualTo("patient-app");
        assertThat(code.getString("redirectUri")).isEqualTo(IdentityFixtures.CALLBACK);
        assertThat(code.getString("expiresAt")).isNotBlank();

        String access = exchange("patient-app", code.getString("code"), IdentityFixtures.CALLBACK, STATIC_VERIFIER)
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer"))
                .body("scope", equalTo("openid email"))
                .extract().path("access_token");
        assertThat(Tokens.claims(access).getString("sub")).isEqualTo(Long.toString(patientId));
        assertThat(Tokens.claims(access).getString("user_type")).isEqualTo("patient");
    }

    @Test
    void theOriginalsInvitationRedeemIsExchangedWithBase64urlOfTheInvitationToken() throws Exception {
        String invitationToken = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";
        String verifier = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(invitationToken.getBytes(StandardCharsets.US_ASCII));
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest
                .getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        JsonPath code = invitation(Map.of("codeChallenge", challenge, "codeChallengeMethod", "S256",
                "expiresInSeconds", 60, "redirectUri", IdentityFixtures.CALLBACK));

        exchange("patient-app", code.getString("code"), IdentityFixtures.CALLBACK, verifier)
                .statusCode(200)
                .body("refresh_token", notNullValue());
    }

    @Test
    void aCodeIsSingleUseAndItsReuseRevokesWhatItIssued() {
        String code = invitation(Map.of()).getString("code");
        String access = exchange("patient-app", code, IdentityFixtures.CALLBACK, STATIC_VERIFIER)
                .statusCode(200).extract().path("access_token");

        exchange("patient-app", code, IdentityFixtures.CALLBACK, STATIC_VERIFIER)
                .statusCode(400).body("error", equalTo("invalid_grant"));

        given().auth().oauth2(access).when().get("/o/userinfo").then().statusCode(401);
    }

    @Test
    void aWrongVerifierIsRefused() {
        String code = invitation(Map.of()).getString("code");

        exchange("patient-app", code, IdentityFixtures.CALLBACK, "x".repeat(43))
                .statusCode(400)
                .body("error", equalTo("invalid_grant"))
                .body("error_description", equalTo("The code_verifier does not match the code_challenge."));
    }

    @Test
    void aMissingVerifierIsAnInvalidRequestAndDoesNotSpendTheCode() {
        String code = invitation(Map.of()).getString("code");

        exchange("patient-app", code, IdentityFixtures.CALLBACK, null)
                .statusCode(400).body("error", equalTo("invalid_request"));
        exchange("patient-app", code, IdentityFixtures.CALLBACK, STATIC_VERIFIER).statusCode(200);
    }

    @Test
    void anExpiredCodeIsRefused() throws InterruptedException {
        String code = invitation(Map.of("expiresInSeconds", 1)).getString("code");
        Thread.sleep(1500);

        exchange("patient-app", code, IdentityFixtures.CALLBACK, STATIC_VERIFIER)
                .statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void aRedirectUriOtherThanTheBoundOneIsRefused() {
        String code = invitation(Map.of("redirectUri", IdentityFixtures.CALLBACK)).getString("code");

        exchange("patient-app", code, "app://callback", STATIC_VERIFIER)
                .statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void aRedirectUriTheClientNeverRegisteredIsRefused() {
        String code = invitation(Map.of()).getString("code");

        exchange("patient-app", code, "https://evil.example/callback", STATIC_VERIFIER)
                .statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void aCodeIssuedToAnotherClientIsRefused() {
        String code = invitation(Map.of()).getString("code");

        exchange("other-patient-app", code, IdentityFixtures.CALLBACK, STATIC_VERIFIER)
                .statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void anUnknownCodeIsRefused() {
        exchange("patient-app", "NotACodeWeEverIssued0123456789", IdentityFixtures.CALLBACK, STATIC_VERIFIER)
                .statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void refusesInvalidInvitationRequests() {
        var service = Tokens.serviceToken();
        Map<String, Map<String, Object>> cases = Map.of(
                "codeChallenge", Map.of("userId", patientId, "clientId", appPk, "codeChallenge", "too-short"),
                "codeChallengeMethod", Map.of("userId", patientId, "clientId", appPk, "codeChallenge",
                        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "codeChallengeMethod", "plain"),
                "expiresInSeconds", Map.of("userId", patientId, "clientId", appPk, "expiresInSeconds", 99999999),
                "userId", Map.of("userId", 99999999, "clientId", appPk),
                "clientId", Map.of("userId", patientId, "clientId", fixtures.clientPk("password-only")),
                "redirectUri", Map.of("userId", patientId, "clientId", appPk, "redirectUri", "https://evil.example/"),
                "scope", Map.of("userId", patientId, "clientId", appPk, "scope", "openid internal"));
        cases.forEach((field, body) -> given().auth().oauth2(service).contentType("application/json").body(body)
                .when().post("/internal/authorization-codes")
                .then().statusCode(400).body("errors", hasKey(field)));
    }

    @Test
    void refusesWrongTypesControlCharactersAndTrailingContentNamingTheField() {
        var service = Tokens.serviceToken();
        Map<String, String> cases = Map.of(
                "userId", "{\"userId\": \"" + patientId + "\", \"clientId\": " + appPk + "}",
                "clientId", "{\"userId\": " + patientId + ", \"clientId\": 1.5}",
                "expiresInSeconds", "{\"userId\": " + patientId + ", \"clientId\": " + appPk
                        + ", \"expiresInSeconds\": true}",
                "scope", "{\"userId\": " + patientId + ", \"clientId\": " + appPk
                        + ", \"scope\": \"openid\\u0000\"}",
                "redirectUri", "{\"userId\": " + patientId + ", \"clientId\": " + appPk
                        + ", \"redirectUri\": \"https://app.example.com/callback\\u000a\"}");
        cases.forEach((field, body) -> given().auth().oauth2(service).contentType("application/json").body(body)
                .when().post("/internal/authorization-codes")
                .then().statusCode(400).body("errors", hasKey(field)));

        given().auth().oauth2(service).contentType("application/json")
                .body("{\"userId\": " + patientId + ", \"clientId\": " + appPk + "} 42")
                .when().post("/internal/authorization-codes")
                .then().statusCode(400).body("detail", equalTo("The body must be one JSON object."));
    }

    @Test
    void onlyAServiceMayIssueCodes() {
        fixtures.publicClient("code-user-app", "password");
        String userToken = Tokens.password("code-user-app", "invited.patient@example.com").getString("access_token");

        given().auth().oauth2(userToken).contentType("application/json")
                .body(Map.of("userId", patientId, "clientId", appPk))
                .when().post("/internal/authorization-codes")
                .then().statusCode(403);
    }
}
