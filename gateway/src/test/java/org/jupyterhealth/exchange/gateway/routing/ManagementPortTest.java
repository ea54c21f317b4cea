package org.jupyterhealth.exchange.gateway.routing;

import static io.restassured.RestAssured.given;
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
 * every spelling, without handing the request to a service.
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
