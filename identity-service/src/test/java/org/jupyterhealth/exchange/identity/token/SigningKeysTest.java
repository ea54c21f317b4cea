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
import java.util.Map;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.identity.support.IdentityFixtures;
import org.jupyterhealth.exchange.identity.support.Tokens;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Key rotation: a key added to the folder is published at once, signs after its activation delay (15 min), and the
 * previous key keeps verifying until its tokens have expired (10 h), then leaves the JWKS.
 *
 * <p>
 * The tests own their key folder: each starts from one key made a day ago, whatever earlier runs left there.
 */
@QuarkusTest
@TestProfile(SigningKeysTest.OwnKeyFolder.class)
class SigningKeysTest {
    /** A key folder no other test uses. */
    public static class OwnKeyFolder implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("jhe.identity.signing-keys.dir", "target/rotation-test-keys");
        }
    }

    @Inject
    SigningKeys keys;
    @Inject
    IdentityFixtures fixtures;
    @ConfigProperty(name = "jhe.identity.signing-keys.dir")
    Path dir;

    @BeforeEach
    void startFromOneKeyMadeADayAgo() throws Exception {
        fixtures.practitioner("rotation.user@example.com", true);
        fixtures.publicClient("rotation-app", "password");
        keys.current(); // the service has made or read its keys
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".pem")).toList()) {
                Files.delete(file);
            }
        }
        addKey("rotation-base", Instant.now().minus(Duration.ofDays(1)));
        keys.reload();
        assertThat(keys.current().kid()).isEqualTo("rotation-base");
    }

    private static String kidOf(String jwt) {
        String header = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8);
        return JsonPath.from(header).getString("kid");
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
        assertThat(kidOf(token())).isEqualTo("rotation-base");
    }

    @Test
    void aKeyPastItsDelaySignsWhileTokensOfThePreviousKeyStillVerify() throws Exception {
        String before = token();
        addKey("rotation-active", Instant.now().minus(Duration.ofMinutes(16)));

        keys.reload();

        String after = token();
        assertThat(kidOf(after)).isEqualTo("rotation-active");
        assertThat(publishedKids()).containsExactly("rotation-active", "rotation-base");
        given().auth().oauth2(before).when().get("/o/userinfo").then().statusCode(200);
        given().auth().oauth2(after).when().get("/o/userinfo").then().statusCode(200);
    }

    @Test
    void aRetiredKeyLeavesTheJwksOnceTheTokensItSignedHaveExpired() throws Exception {
        addKey("rotation-ancient", Instant.now().minus(Duration.ofDays(30)));
        addKey("rotation-old", Instant.now().minus(Duration.ofDays(20)));
        addKey("rotation-current", Instant.now().minus(Duration.ofDays(10)));

        keys.reload();

        assertThat(publishedKids()).as("replaced a day or more ago, their tokens last 10 hours")
                .containsExactly("rotation-base");
        assertThat(kidOf(token())).isEqualTo("rotation-base");
    }

    private void addKey(String kid, Instant created) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(
                        generator.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Files.createDirectories(dir);
        Path file = dir.resolve(kid + ".pem");
        Files.writeString(file, pem);
        Files.setLastModifiedTime(file, FileTime.from(created));
    }
}
