package org.jupyterhealth.exchange.identity.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.identity.support.IdentityFixtures;
import org.jupyterhealth.exchange.identity.support.Tokens;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Key rotation: a key added to the folder is published at once, signs after its activation delay (15 min), and the
 * previous key keeps verifying until its tokens have expired (10 h), then leaves the JWKS.
 */
@QuarkusTest
class SigningKeysTest {
    private static final List<String> TEST_KEYS = List.of("rotation-pending", "rotation-active", "rotation-old",
            "rotation-ancient");

    @Inject
    SigningKeys keys;
    @Inject
    IdentityFixtures fixtures;
    @ConfigProperty(name = "jhe.identity.signing-keys.dir")
    Path dir;

    @BeforeEach
    void account() {
        fixtures.practitioner("rotation.user@example.com", true);
        fixtures.publicClient("rotation-app", "password");
    }

    @AfterEach
    void removeTestKeys() throws Exception {
        for (String kid : TEST_KEYS) {
            Files.deleteIfExists(dir.resolve(kid + ".pem"));
        }
        keys.reload();
    }

    private static String kidOf(String jwt) {
        String header = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8);
        return io.restassured.path.json.JsonPath.from(header).getString("kid");
    }

    private static List<String> publishedKids() {
        return given().when().get("/o/.well-known/jwks.json").then().statusCode(200).extract().jsonPath()
                .getList("keys.kid");
    }

    private static String token() {
        return Tokens.password("rotation-app", "rotation.user@example.com").getString("access_token");
    }

    @Test
    void aNewKeyIsPublishedAtOnceButDoesNotSignBeforeItsActivationDelay() throws Exception {
        addKey("rotation-pending", Instant.now());

        keys.reload();

        assertThat(publishedKids()).contains("rotation-pending");
        assertThat(kidOf(token())).isNotEqualTo("rotation-pending");
    }

    @Test
    void aKeyPastItsDelaySignsWhileTokensOfThePreviousKeyStillVerify() throws Exception {
        String before = token();
        String previousKid = kidOf(before);
        addKey("rotation-active", Instant.now().minus(Duration.ofMinutes(16)));

        keys.reload();

        String after = token();
        assertThat(kidOf(after)).isEqualTo("rotation-active");
        assertThat(publishedKids()).contains("rotation-active", previousKid);
        given().auth().oauth2(before).when().get("/o/userinfo").then().statusCode(200);
        given().auth().oauth2(after).when().get("/o/userinfo").then().statusCode(200);
    }

    @Test
    void aRetiredKeyLeavesTheJwksOnceTheTokensItSignedHaveExpired() throws Exception {
        addKey("rotation-ancient", Instant.now().minus(Duration.ofDays(30)));
        addKey("rotation-old", Instant.now().minus(Duration.ofDays(20)));

        keys.reload();

        assertThat(publishedKids()).as("replaced 20 days ago, its tokens last 10 hours")
                .doesNotContain("rotation-ancient");
        assertThat(keys.current().kid()).isNotIn("rotation-ancient", "rotation-old");
    }

    private void addKey(String kid, Instant created) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(
                        generator.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Path file = dir.resolve(kid + ".pem");
        Files.writeString(file, pem);
        Files.setLastModifiedTime(file, FileTime.from(created));
    }
}
