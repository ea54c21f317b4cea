package org.jupyterhealth.exchange.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.net.URL;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Health and metrics are served on the management port only: the public port answers 404 for {@code /q/**}, in
 * every spelling, without handing the request to a service. Metrics label requests by route, never by path.
 */
@QuarkusTest
@QuarkusTestResource(FakeServices.class)
class ManagementPortTest {

    @TestHTTPResource(value = "health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @Test
    void healthAndMetricsAnswerOnTheManagementPort() {
        given().when().get("/api/v1/patients").then().statusCode(200);

        given().when().get(ready).then().statusCode(200).body("status", equalTo("UP"));
        given().when().get(metrics).then().statusCode(200).body(containsString("http_server_requests"));
    }

    @Test
    void metricsLabelRequestsByTheirRouteNeverByAPathAClientSent() {
        String[] tokens = { "Qm4ZtW8pLx2vNc6rYd0sHf3jKb7gAe5u", "Ra9XkP2mTq7vLw4sZc1nHd6fJb3gYe8u",
                "Sb1YmQ3nUr8wMx5tAd2oIe7gKc4hZf9v", "Tc2ZnR4oVs9xNy6uBe3pJf8hLd5iAg0w" };
        given().when().post("/api/v1/invitation/" + tokens[0]).then().statusCode(200);
        given().urlEncodingEnabled(false).when().post("/api/v1/%69nvitation/" + tokens[1]).then().statusCode(200);
        given().when().get("/nowhere/invitation/" + tokens[2]).then().statusCode(404);
        given().when().post("/api/v1/invitation/" + tokens[3] + "/slow").then().statusCode(504);

        String exposition = given().when().get(metrics).then().statusCode(200).extract().asString();

        for (String token : tokens) {
            assertThat(exposition).doesNotContain(token);
        }
        assertThat(exposition).contains("uri=\"/api/v1/*\"").contains("uri=\"OTHER\"");
    }

    @ParameterizedTest
    @ValueSource(strings = { "/q/health", "/q/health/ready", "/q/metrics", "/q/openapi", "/q/",
            "/api/v1/../../q/metrics", "/api/v1/%2e%2e/%2e%2e/q/metrics", "/o/../q/health/live" })
    void thePublicPortAnswers404ForQuarkusPathsWithoutAskingAService(String path) {
        given().urlEncodingEnabled(false)
                .when().get(path)
                .then().statusCode(404)
                .body("detail", equalTo("Not found."))
                .body(not(containsString("service")));
    }
}
