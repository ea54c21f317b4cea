package org.jupyterhealth.exchange.identity.oauth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.inject.Inject;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.identity.support.IdentityFixtures;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
class TokenResourceTest {
    private static final String MARY = "token.test.mary@example.com";

    @Inject
    IdentityFixtures fixtures;

    long maryId;

    @BeforeEach
    void accountsAndClients() {
        maryId = fixtures.practitioner(MARY, true);
        fixtures.practitioner("token.test.gone@example.com", false);
        fixtures.publicClient("scripts", "password refresh_token");
        fixtures.publicClient("browser-only", "authorization_code");
        fixtures.confidentialClient("robot", "robot-secret-0123456789", "client_credentials password");
    }

    private static RequestSpecification form() {
        return given().contentType("application/x-www-form-urlencoded");
    }

    @Test
    void issuesAnRs256AccessTokenThatVerifiesAgainstThePublishedKeys() throws Exception {
        Response response = form()
                .formParam("grant_type", "password").formParam("client_id", "scripts")
                .formParam("username", MARY).formParam("password", IdentityFixtures.PASSWORD)
                .formParam("scope", "read write")
                .when().post("/o/token/");

        response.then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(36000))
                .body("scope", equalTo("read write"))
                .body("access_token", startsWith("eyJ"));

        String jwks = given().when().get("/o/.well-known/jwks.json").asString();
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
                .setExpectedIssuer("http://localhost:8000/o")
                .setExpectedAudience("jupyterhealth-exchange")
                .setRequireExpirationTime()
                .setRequireJwtId()
                .build();
        JwtClaims claims = consumer.processToClaims(response.jsonPath().getString("access_token"));
        assertThat(claims.getSubject()).isEqualTo(Long.toString(maryId));
        assertThat(claims.getStringClaimValue("email")).isEqualTo(MARY);
        assertThat(claims.getStringClaimValue("user_type")).isEqualTo("practitioner");
        assertThat(claims.getClaimValue("is_superuser")).isEqualTo(false);
        assertThat(claims.getStringClaimValue("client_id")).isEqualTo("scripts");
        assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue()).isEqualTo(36000);
    }

    @Test
    void answersOnThePathWithoutTrailingSlashToo() {
        form().formParam("grant_type", "password").formParam("client_id", "scripts")
                .formParam("username", MARY.toUpperCase()).formParam("password", IdentityFixtures.PASSWORD)
                .when().post("/o/token")
                .then().statusCode(200).body("scope", equalTo("openid email read write"));
    }

    @Test
    void refusesAWrongPasswordWithInvalidGrant() {
        form().formParam("grant_type", "password").formParam("client_id", "scripts")
                .formParam("username", MARY).formParam("password", "wrong")
                .when().post("/o/token/")
                .then().statusCode(400)
                .header("Cache-Control", "no-store")
                .body("error", equalTo("invalid_grant"))
                .body("error_description", equalTo("Invalid credentials given."));
    }

    @Test
    void refusesAnUnknownAccountExactlyAsAWrongPassword() {
        form().formParam("grant_type", "password").formParam("client_id", "scripts")
                .formParam("username", "nobody@example.com").formParam("password", IdentityFixtures.PASSWORD)
                .when().post("/o/token/")
                .then().statusCode(400)
                .body("error", equalTo("invalid_grant"))
                .body("error_description", equalTo("Invalid credentials given."));
    }

    @Test
    void refusesADeactivatedAccount() {
        form().formParam("grant_type", "password").formParam("client_id", "scripts")
                .formParam("username", "token.test.gone@example.com").formParam("password", IdentityFixtures.PASSWORD)
                .when().post("/o/token/")
                .then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void refusesAnUnknownClientWith401() {
        form().formParam("grant_type", "password").formParam("client_id", "nope")
                .formParam("username", MARY).formParam("password", IdentityFixtures.PASSWORD)
                .when().post("/o/token/")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void refusesAWrongClientSecretWithABasicChallenge() {
        form().auth().preemptive().basic("robot", "not-the-secret")
                .formParam("grant_type", "password")
                .formParam("username", MARY).formParam("password", IdentityFixtures.PASSWORD)
                .when().post("/o/token/")
                .then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Basic"))
                .body("error", equalTo("invalid_client"));
    }

    @Test
    void acceptsAConfidentialClientBySecretInTheBody() {
        form().formParam("grant_type", "password")
                .formParam("client_id", "robot").formParam("client_secret", "robot-secret-0123456789")
                .formParam("username", MARY).formParam("password", IdentityFixtures.PASSWORD)
                .when().post("/o/token/")
                .then().statusCode(200).body("token_type", equalTo("Bearer"));
    }

    @Test
    void refusesTheGrantToAClientNotAllowedIt() {
        form().formParam("grant_type", "password").formParam("client_id", "browser-only")
                .formParam("username", MARY).formParam("password", IdentityFixtures.PASSWORD)
                .when().post("/o/token/")
                .then().statusCode(400).body("error", equalTo("unauthorized_client"));
    }

    @Test
    void refusesAnUnsupportedGrantType() {
        form().formParam("grant_type", "urn:example:magic").formParam("client_id", "scripts")
                .when().post("/o/token/")
                .then().statusCode(400).body("error", equalTo("unsupported_grant_type"));
    }

    @Test
    void refusesARequestWithoutGrantType() {
        form().formParam("client_id", "scripts")
                .when().post("/o/token/")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void refusesARepeatedParameter() {
        given().contentType("application/x-www-form-urlencoded")
                .body("grant_type=password&client_id=scripts&username=" + MARY
                        + "&password=a&password=" + IdentityFixtures.PASSWORD)
                .when().post("/o/token/")
                .then().statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("error_description", equalTo("Parameter password is included more than once."));
    }

    @Test
    void refusesAJsonBody() {
        given().contentType("application/json").body("{\"grant_type\":\"password\"}")
                .when().post("/o/token/")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void refusesAnUnknownScope() {
        form().formParam("grant_type", "password").formParam("client_id", "scripts")
                .formParam("username", MARY).formParam("password", IdentityFixtures.PASSWORD)
                .formParam("scope", "read admin")
                .when().post("/o/token/")
                .then().statusCode(400).body("error", equalTo("invalid_scope"));
    }

    private static Response rawForm(String body) {
        return given().contentType("application/x-www-form-urlencoded").body(body).when().post("/o/token/");
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void refusesAControlCharacterInAnyParameterNamingIt() {
        rawForm("grant_type=password&client_id=scr%00ipts&username=" + MARY + "&password=x")
                .then().statusCode(400)
                .header("Cache-Control", "no-store")
                .body("error", equalTo("invalid_request"))
                .body("error_description", equalTo("client_id contains a control character."));
        rawForm("grant_type=password&client_id=scripts&username=token.test%00mary@example.com&password=x")
                .then().statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("error_description", equalTo("username contains a control character."));
        rawForm("grant_type=password&client_id=scripts&username=" + MARY + "&password=x&scope=read%0Awrite")
                .then().statusCode(400).body("error_description", equalTo("scope contains a control character."));
    }

    @Test
    void refusesAFormThatCannotBeDecoded() {
        rawForm("%zz=%").then().statusCode(400).body("error", equalTo("invalid_request"));
        rawForm("grant_type=password&client_id=scripts&username=%E2%82").then().statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("error_description", equalTo("username is not valid UTF-8."));
        rawForm("grant_type=password&client_id=scripts&password=100%").then().statusCode(400)
                .body("error_description", equalTo("password is not properly percent-encoded."));
    }

    @Test
    void anotherMethodThanPostIsRefusedInTheTokenEndpointsDialect() {
        for (String path : new String[] { "/o/token", "/o/token/", "/o/revoke_token/", "/o/introspect/" }) {
            given().queryParam("grant_type", "password").queryParam("client_id", "scripts")
                    .when().get(path)
                    .then().statusCode(405)
                    .header("Cache-Control", "no-store")
                    .body("error", equalTo("invalid_request"))
                    .body("error_description", equalTo("Method not allowed."));
        }
    }

    @Test
    void refusesAControlCharacterOrBrokenEncodingInTheBasicClientId() {
        form().header("Authorization", basic("ro%00bot:robot-secret-0123456789"))
                .formParam("grant_type", "password").formParam("username", MARY)
                .formParam("password", IdentityFixtures.PASSWORD)
                .when().post("/o/token/")
                .then().statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("error_description", containsString("client_id contains a control character."));
        form().header("Authorization", basic("ro\u0000bot:robot-secret-0123456789"))
                .formParam("grant_type", "password").formParam("username", MARY)
                .formParam("password", IdentityFixtures.PASSWORD)
                .when().post("/o/token/")
                .then().statusCode(400).body("error_description", containsString("client_id"));
        form().header("Authorization", basic("ro%zzbot:robot-secret-0123456789"))
                .formParam("grant_type", "password").formParam("username", MARY)
                .formParam("password", IdentityFixtures.PASSWORD)
                .when().post("/o/token/")
                .then().statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void aTabIsAllowedInAPasswordAsRfc6749Says() {
        given().contentType("application/x-www-form-urlencoded").header("X-Forwarded-For", "10.30.0.1")
                .body("grant_type=password&client_id=scripts&username=token.test.tab@example.com"
                        + "&password=wrong%09password")
                .when().post("/o/token/")
                .then().statusCode(400).body("error", equalTo("invalid_grant"));
    }
}
