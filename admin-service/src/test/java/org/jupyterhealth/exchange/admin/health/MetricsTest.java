package org.jupyterhealth.exchange.admin.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.common.testing.ManagementPort;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The HTTP metrics label a request by its route template, never by the path it came with: whoever reads the
 * metrics learns no invitation token, whatever the answer to the redemption was.
 */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class MetricsTest {

    @Test
    void invitationTokensNeverAppearInTheMetrics() {
        String[] tokens = { "Ud3AoS5pWt0yOz7vCf4qKg9iMe6jBh1x", "Ve4BpT6qXu1zPa8wDg5rLh0jNf7kCi2y",
                "Wf5CqU7rYv2aQb9xEh6sMi1kOg8lDj3z", "Xg6DrV8sZw3bRc0yFi7tNj2lPh9mEk4a",
                "Yh7EsW9tAx4cSd1zGj8uOk3mQi0nFl5b", "Zi8FtX0uBy5dTe2aHk9vPl4nRj1oGm6c" };
        // an unknown token (404), the same with a trailing slash, without a JSON body (415), with the wrong method
        // (405), and with an escaped letter in the path
        given().contentType("application/json").body("{}")
                .when().post("/api/v1/invitation/" + tokens[0]).then().statusCode(404);
        given().contentType("application/json").body("{}")
                .when().post("/api/v1/invitation/" + tokens[1] + "/").then().statusCode(404);
        given().when().post("/api/v1/invitation/" + tokens[2]).then().statusCode(415);
        given().when().get("/api/v1/invitation/" + tokens[3]).then().statusCode(405);
        given().contentType("application/json").body("{}")
                .when().put("/api/v1/invitation/" + tokens[4]).then().statusCode(405);
        given().urlEncodingEnabled(false).contentType("application/json").body("{}")
                .when().post("/api/v1/%69nvitation/" + tokens[5]).then().statusCode(404);

        String metrics = given().when().get(ManagementPort.url("metrics")).then().statusCode(200).extract().asString();

        for (String token : tokens) {
            assertThat(metrics).doesNotContain(token);
        }
        assertThat(metrics).contains("uri=\"/api/v1/invitation/{token}\"");
    }
}
