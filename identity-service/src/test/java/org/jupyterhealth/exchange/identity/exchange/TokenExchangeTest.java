package org.jupyterhealth.exchange.identity.exchange;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.jupyterhealth.exchange.identity.support.Tokens.form;

import java.time.Instant;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.testing.TestTokens;
import org.jupyterhealth.exchange.identity.support.IdentityFixtures;
import org.jupyterhealth.exchange.identity.support.Tokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * The SMART EHR-launch token exchange (RFC 8693) at {@code /o/token-exchange} and {@code /o/token}: an ID token of a
 * trusted EHR (signed with a key it publishes, served by {@link EhrStandIn}) becomes an access token of the
 * practitioner its {@code fhirUser} names; every other case is refused with an OAuth error, never a 500.
 */
@QuarkusTest
@QuarkusTestResource(EhrStandIn.class)
class TokenExchangeTest {
    private static final String CLIENT = "sof-ehr-launch";
    private static final String SECRET = "sof-ehr-launch-dev-secret";
    private static final String GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final String ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";
    private static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
    private static final String DOCTOR = "ehr.doctor@example.com";

    @Inject
    IdentityFixtures fixtures;

    @ConfigProperty(name = EhrStandIn.BASE_PROPERTY)
    String ehrBase;

    @ConfigProperty(name = EhrStandIn.SILENT_PROPERTY)
    String silentEhr;

    long doctorId;

    @BeforeEach
    void accounts() {
        fixtures.confidentialClient(CLIENT, SECRET, "client_credentials " + GRANT);
        fixtures.confidentialClient("other-confidential", "other-confidential-secret-0123456789", "client_credentials");
        fixtures.publicClient("public-exchanger", GRANT);
        doctorId = fixtures.practitioner(DOCTOR, true);
        fixtures.identify(doctorId, "ehr-doc-1001");
        fixtures.identify(fixtures.practitioner("ehr.gone@example.com", false), "ehr-doc-gone");
        fixtures.identify(fixtures.patient("ehr.patient@example.com"), "ehr-pat-2002");
        fixtures.identify(fixtures.practitioner("ehr.twin.one@example.com", true), "ehr-doc-twin");
        fixtures.identify(fixtures.practitioner("ehr.twin.two@example.com", true), "ehr-doc-twin");
    }

    @Test
    void aTrustedEhrsIdTokenBecomesAnAccessTokenOfThePractitionerItNames() {
        JsonPath response = exchange(idToken("Practitioner/ehr-doc-1001"))
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer"))
                .body("issued_token_type", equalTo(ACCESS_TOKEN))
                .body("scope", equalTo("openid"))
                .body("refresh_token", nullValue())
                .body("id_token", nullValue())
                .extract().jsonPath();
        assertThat(response.getLong("expires_in")).isPositive();

        String token = response.getString("access_token");
        JsonPath claims = Tokens.claims(token);
        assertThat(claims.getString("sub")).isEqualTo(Long.toString(doctorId));
        assertThat(claims.getString("user_type")).isEqualTo("practitioner");
        assertThat(claims.getString("client_id")).isEqualTo(CLIENT);
        assertThat(claims.getString("iss")).isEqualTo(TestTokens.ISSUER);

        // the token works at the exchange as that practitioner
        given().auth().oauth2(token)
                .when().get("/o/userinfo/")
                .then().statusCode(200)
                .body("sub", equalTo(Long.toString(doctorId)))
                .body("email", equalTo(DOCTOR))
                .body("user_type", equalTo("practitioner"));
    }

    @Test
    void theTokenEndpointAcceptsTheSameGrantWithTheSecretInTheBody() {
        // an EHR that publishes only an OpenID configuration, and fhirUser as an absolute URL
        String idToken = idToken(claims(ehrBase + "/oidc-ehr", EhrStandIn.AUDIENCE,
                "https://ehr.example.org/fhir/Practitioner/ehr-doc-1001", Instant.now().plusSeconds(300)));
        form().formParam("grant_type", GRANT).formParam("client_id", CLIENT).formParam("client_secret", SECRET)
                .formParam("subject_token", idToken).formParam("subject_token_type", ID_TOKEN)
                .when().post("/o/token/")
                .then().statusCode(200)
                .body("issued_token_type", equalTo(ACCESS_TOKEN))
                .body("scope", equalTo("openid"));
    }

    @Test
    void theOriginalsFullRequestIsAccepted() {
        exchangeRequest(idToken("Practitioner/ehr-doc-1001")).auth().preemptive().basic(CLIENT, SECRET)
                .formParam("audience", "http://localhost:8000/")
                .formParam("requested_token_type", ACCESS_TOKEN)
                .formParam("scope", "openid")
                .when().post("/o/token-exchange/")
                .then().statusCode(200);
    }

    @Test
    void aForgedSignatureIsRefused() {
        JwtClaimsBuilder claims = claims(trustedIssuer(), EhrStandIn.AUDIENCE, "Practitioner/ehr-doc-1001",
                Instant.now().plusSeconds(300));
        String forged = TestTokens.signWithForeignKey(claims, TestTokens.KID);
        refused(exchange(forged), "invalid_grant", "signature");
    }

    @Test
    void aTokenSignedWithAKeyTheEhrDoesNotPublishIsRefused() {
        String unknownKey = TestTokens.signWithForeignKey(claims(trustedIssuer(), EhrStandIn.AUDIENCE,
                "Practitioner/ehr-doc-1001", Instant.now().plusSeconds(300)), "rotated-away");
        refused(exchange(unknownKey), "invalid_grant", "not signed by a key of its issuer");
    }

    @Test
    void anExpiredIdTokenIsRefusedButASmallClockSkewIsAllowed() {
        refused(exchange(idToken(claims(trustedIssuer(), EhrStandIn.AUDIENCE, "Practitioner/ehr-doc-1001",
                Instant.now().minusSeconds(120)))), "invalid_grant", "expired");
        exchange(idToken(claims(trustedIssuer(), EhrStandIn.AUDIENCE, "Practitioner/ehr-doc-1001",
                Instant.now().minusSeconds(5)))).statusCode(200);
    }

    @Test
    void anIdTokenNotValidYetIsRefused() {
        JwtClaimsBuilder early = claims(trustedIssuer(), EhrStandIn.AUDIENCE, "Practitioner/ehr-doc-1001",
                Instant.now().plusSeconds(600)).claim("nbf", Instant.now().plusSeconds(300).getEpochSecond());
        refused(exchange(idToken(early)), "invalid_grant", "not valid yet");
    }

    @Test
    void anIdTokenForAnotherAudienceIsRefused() {
        refused(exchange(idToken(claims(trustedIssuer(), "some-other-app", "Practitioner/ehr-doc-1001",
                Instant.now().plusSeconds(300)))), "invalid_grant", "not addressed to this exchange");
    }

    @Test
    void anIdTokenOfAnUntrustedIssuerIsRefused() {
        refused(exchange(idToken(claims("https://evil.example.com/oauth2", EhrStandIn.AUDIENCE,
                "Practitioner/ehr-doc-1001", Instant.now().plusSeconds(300)))), "invalid_grant",
                "issuer is not trusted");
        // a trusted issuer's name inside another one's is not it
        refused(exchange(idToken(claims(trustedIssuer() + "/more", EhrStandIn.AUDIENCE,
                "Practitioner/ehr-doc-1001", Instant.now().plusSeconds(300)))), "invalid_grant",
                "issuer is not trusted");
    }

    @Test
    void fhirUserMustNameAPractitionerOfTheExchange() {
        refused(exchange(idToken("Patient/ehr-pat-2002")), "invalid_grant", "not a Practitioner");
        refused(exchange(idToken((String) null)), "invalid_grant", "no fhirUser");
        refused(exchange(idToken("Practitioner/nobody-here")), "invalid_grant", "No practitioner");
        // a Practitioner id that is a patient's account identifier
        refused(exchange(idToken("Practitioner/ehr-pat-2002")), "invalid_grant", "not a practitioner");
        // two accounts with that identifier: nobody in particular
        refused(exchange(idToken("Practitioner/ehr-doc-twin")), "invalid_grant", "No practitioner");
        refused(exchange(idToken("Practitioner/ehr-doc-gone")), "invalid_grant", "cannot sign in");
    }

    @Test
    void onlyAConfidentialClientAllowedTheGrantMayExchange() {
        exchangeRequest(idToken("Practitioner/ehr-doc-1001")).auth().preemptive().basic(CLIENT, "wrong-secret")
                .when().post("/o/token-exchange/")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
        exchangeRequest(idToken("Practitioner/ehr-doc-1001")).auth().preemptive()
                .basic("other-confidential", "other-confidential-secret-0123456789")
                .when().post("/o/token-exchange/")
                .then().statusCode(400).body("error", equalTo("unauthorized_client"));
        exchangeRequest(idToken("Practitioner/ehr-doc-1001")).formParam("client_id", "public-exchanger")
                .when().post("/o/token-exchange/")
                .then().statusCode(400).body("error", equalTo("unauthorized_client"));
    }

    @Test
    void missingOrWrongParametersAreRefused() {
        form().auth().preemptive().basic(CLIENT, SECRET).formParam("grant_type", GRANT)
                .formParam("subject_token_type", ID_TOKEN)
                .when().post("/o/token-exchange/")
                .then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("error_description", containsString("subject_token"));
        form().auth().preemptive().basic(CLIENT, SECRET).formParam("grant_type", GRANT)
                .formParam("subject_token", idToken("Practitioner/ehr-doc-1001"))
                .when().post("/o/token-exchange/")
                .then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("error_description", containsString("subject_token_type"));
        form().auth().preemptive().basic(CLIENT, SECRET).formParam("subject_token_type", ID_TOKEN)
                .formParam("subject_token", idToken("Practitioner/ehr-doc-1001"))
                .when().post("/o/token-exchange/")
                .then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("error_description", containsString("grant_type"));
        form().auth().preemptive().basic(CLIENT, SECRET).formParam("grant_type", "client_credentials")
                .when().post("/o/token-exchange/")
                .then().statusCode(400).body("error", equalTo("unsupported_grant_type"));
        form().auth().preemptive().basic(CLIENT, SECRET).formParam("grant_type", GRANT)
                .formParam("subject_token", idToken("Practitioner/ehr-doc-1001"))
                .formParam("subject_token_type", "urn:ietf:params:oauth:token-type:saml2")
                .when().post("/o/token-exchange/")
                .then().statusCode(400).body("error", equalTo("unsupported_token_type"));
        exchangeRequest(idToken("Practitioner/ehr-doc-1001")).auth().preemptive().basic(CLIENT, SECRET)
                .formParam("requested_token_type", "urn:ietf:params:oauth:token-type:refresh_token")
                .when().post("/o/token-exchange/")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
        exchangeRequest(idToken("Practitioner/ehr-doc-1001")).auth().preemptive().basic(CLIENT, SECRET)
                .formParam("audience", "https://elsewhere.example.com")
                .when().post("/o/token-exchange/")
                .then().statusCode(400).body("error", equalTo("invalid_target"));
        exchangeRequest(idToken("Practitioner/ehr-doc-1001")).auth().preemptive().basic(CLIENT, SECRET)
                .formParam("scope", "openid read write")
                .when().post("/o/token-exchange/")
                .then().statusCode(400).body("error", equalTo("invalid_scope"));
        refused(exchange("not-a-jwt"), "invalid_grant", "not a valid ID token");
    }

    @Test
    void anEhrWhoseKeysCannotBeFetchedOrThatDoesNotAnswerIsRefusedClosed() {
        refused(exchange(idToken(claims(ehrBase + "/down", EhrStandIn.AUDIENCE, "Practitioner/ehr-doc-1001",
                Instant.now().plusSeconds(300)))), "invalid_grant", "could not be fetched");
        refused(exchange(idToken(claims(silentEhr, EhrStandIn.AUDIENCE, "Practitioner/ehr-doc-1001",
                Instant.now().plusSeconds(300)))), "invalid_grant", "could not be fetched");
    }

    private String trustedIssuer() {
        return ehrBase + "/ehr";
    }

    private String idToken(String fhirUser) {
        return idToken(claims(trustedIssuer(), EhrStandIn.AUDIENCE, fhirUser, Instant.now().plusSeconds(300)));
    }

    private static String idToken(JwtClaimsBuilder claims) {
        return TestTokens.sign(claims);
    }

    private static JwtClaimsBuilder claims(String issuer, String audience, String fhirUser, Instant expiresAt) {
        JwtClaimsBuilder claims = Jwt.claims().issuer(issuer).audience(audience).subject("ehr-user-42")
                .issuedAt(Instant.now().minusSeconds(10)).expiresAt(expiresAt);
        if (fhirUser != null) {
            claims.claim("fhirUser", fhirUser);
        }
        return claims;
    }

    private static RequestSpecification exchangeRequest(String subjectToken) {
        return form().formParam("grant_type", GRANT).formParam("subject_token", subjectToken)
                .formParam("subject_token_type", ID_TOKEN);
    }

    private static ValidatableResponse exchange(String subjectToken) {
        return exchangeRequest(subjectToken).auth().preemptive().basic(CLIENT, SECRET)
                .when().post("/o/token-exchange/")
                .then();
    }

    private static void refused(ValidatableResponse response, String error, String description) {
        response.statusCode(400).header("Cache-Control", "no-store")
                .body("error", equalTo(error))
                .body("error_description", containsString(description));
    }
}
