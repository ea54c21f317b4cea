package org.jupyterhealth.exchange.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;

import java.util.UUID;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.http.ContentType;

/**
 * Health and metrics of every service are on its management port, never on a public one; and after a patient
 * redeemed an invitation through the gateway, no service's metrics name the invitation's token.
 */
@Order(50)
@ExtendWith(SystemStack.class)
class ManagementPortsIT {

    @Test
    void everyServiceReportsItsHealthOnItsManagementPortOnly() {
        for (int port : SystemStack.SERVICE_PORTS) {
            given().when().get(SystemStack.managementUrl(port, "health/ready"))
                    .then().statusCode(200).body("status", equalTo("UP"));
            given().baseUri("http://127.0.0.1").port(port).when().get("/q/health/ready").then().statusCode(404);
            given().baseUri("http://127.0.0.1").port(port).when().get("/q/metrics").then().statusCode(404);
        }
    }

    @Test
    void noServiceLabelsAMetricWithARedeemedInvitationToken() {
        String mary = EndToEndIT.passwordToken("manager_mary@example.com");
        String email = "metrics-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        Number patient = given().auth().oauth2(mary).contentType(ContentType.JSON)
                .body("{\"organizationId\": 20003, \"telecomEmail\": \"" + email
                        + "\", \"nameFamily\": \"Metrics\", \"nameGiven\": \"Test\"}")
                .when().post("/api/v1/patients")
                .then().statusCode(201).extract().path("id");
        String token = given().auth().oauth2(mary).contentType(ContentType.JSON)
                .body("{\"patientId\": " + patient + ", \"clientId\": 1, \"sendEmail\": false}")
                .when().post("/api/v1/invitation")
                .then().statusCode(201).extract().path("token");

        given().contentType(ContentType.JSON).when().post("/api/v1/invitation/" + token)
                .then().statusCode(200).body("grant.code", notNullValue());
        // again, within the redemption window, spelt with a slash
        given().contentType(ContentType.JSON).when().post("/api/v1/invitation/" + token + "/")
                .then().statusCode(lessThan(500));

        for (int port : SystemStack.SERVICE_PORTS) {
            String metrics = given().when().get(SystemStack.managementUrl(port, "metrics"))
                    .then().statusCode(200).extract().asString();
            assertThat(metrics).as("metrics of the service on port %d", port).doesNotContain(token);
        }
    }
}
