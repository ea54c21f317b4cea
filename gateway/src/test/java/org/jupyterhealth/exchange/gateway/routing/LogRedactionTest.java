package org.jupyterhealth.exchange.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.testing.LogCapture;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A credential in a request never reaches the gateway's log, neither its access log nor its warnings: an invitation
 * token in the path, an activation link's token in the query or in the form.
 */
@QuarkusTest
@QuarkusTestResource(FakeServices.class)
class LogRedactionTest {
    private static final String TOKEN = "Zq8WmT3kLp0vXr5sYb7nHc2dJf9gAe4u";

    private LogCapture log;
    private List<String> lines;

    @BeforeEach
    void captureTheGatewaysLog() {
        log = LogCapture.of("org.jupyterhealth.exchange.gateway");
        lines = log.lines();
    }

    @AfterEach
    void stopCapturing() {
        log.close();
    }

    @Test
    void theAccessLogNamesTheRedemptionPathWithoutItsToken() {
        given().when().post("/api/v1/invitation/" + TOKEN).then().statusCode(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> lines.stream().anyMatch(l -> l.startsWith("POST /api/v1/")));
        assertThat(lines).noneMatch(l -> l.contains(TOKEN))
                .anyMatch(l -> l.startsWith("POST /api/v1/invitation/{token} 200 "));
    }

    @Test
    void theWarningAboutAFailedServiceNamesThePathWithoutItsToken() {
        given().when().post("/api/v1/invitation/" + TOKEN + "/slow").then().statusCode(504);

        await().atMost(Duration.ofSeconds(5)).until(() -> lines.stream().anyMatch(l -> l.startsWith("upstream ")));
        assertThat(lines).noneMatch(l -> l.contains(TOKEN))
                .anyMatch(l -> l.startsWith("upstream admin-service failed for /api/v1/invitation/{token}/"));
    }

    @Test
    void anEscapedSpellingOfThePathIsRedactedToo() {
        given().urlEncodingEnabled(false).when().post("/api/v1/%69nvitation/" + TOKEN).then().statusCode(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> lines.stream().anyMatch(l -> l.startsWith("POST /api/v1/")));
        assertThat(lines).noneMatch(l -> l.contains(TOKEN))
                .anyMatch(l -> l.startsWith("POST /api/v1/%69nvitation/{token} 200 "));
    }

    @Test
    void anActivationLinksTokenIsLoggedNeitherFromTheQueryNorFromTheForm() {
        given().when().get("/o/activate?token=" + TOKEN).then().statusCode(200);
        given().contentType("application/x-www-form-urlencoded").formParam("token", TOKEN)
                .formParam("password", "a long and secret passphrase")
                .when().post("/o/activate").then().statusCode(200);
        given().when().get("/o/activate/slow?token=" + TOKEN).then().statusCode(504);

        await().atMost(Duration.ofSeconds(5)).until(() -> lines.stream().anyMatch(l -> l.startsWith("upstream ")));
        assertThat(lines).noneMatch(l -> l.contains(TOKEN)).noneMatch(l -> l.contains("secret passphrase"))
                .anyMatch(l -> l.startsWith("GET /o/activate 200 "))
                .anyMatch(l -> l.startsWith("POST /o/activate 200 "))
                .anyMatch(l -> l.startsWith("upstream identity-service failed for /o/activate/slow:"));
    }

    @Test
    void aPasswordChangesBodyAndTokenAreNotLogged() {
        given().auth().oauth2(TOKEN).contentType("application/json")
                .body("{\"currentPassword\": \"the old secret passphrase\", "
                        + "\"newPassword\": \"the new secret passphrase\"}")
                .when().post("/o/password").then().statusCode(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> lines.stream().anyMatch(l -> l.startsWith("POST /o/")));
        assertThat(lines).noneMatch(l -> l.contains(TOKEN)).noneMatch(l -> l.contains("secret passphrase"))
                .anyMatch(l -> l.startsWith("POST /o/password 200 "));
    }
}
