package org.jupyterhealth.exchange.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Once a stop has begun the gateway refuses every new request at once, in the path's dialect, and closes the
 * connection: the requests under way are then all a graceful stop waits for, however many clients keep sending.
 */
@QuarkusTest
@TestProfile(StoppingGatewayTest.OwnInstance.class)
class StoppingGatewayTest {

    /** An application of its own: after this test the gateway refuses everything. */
    public static class OwnInstance implements QuarkusTestProfile {
    }

    @Inject
    Event<ShutdownDelayInitiatedEvent> stopBegins;

    @Test
    void refusesNewRequestsWith503AndClosesTheConnectionOnceStopping() {
        given().when().get("/health").then().statusCode(200);

        stopBegins.fire(new ShutdownDelayInitiatedEvent());

        given().when().get("/health")
                .then().statusCode(503)
                .header("Connection", "close")
                .header("Retry-After", "1");
        given().when().get("/api/v1/patients")
                .then().statusCode(503)
                .contentType("application/json")
                .body("detail", equalTo("The gateway is restarting. Try again shortly."));
        given().when().get("/fhir/r5/Observation")
                .then().statusCode(503)
                .contentType("application/fhir+json")
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].diagnostics", equalTo("The gateway is restarting. Try again shortly."));
        given().formParam("grant_type", "password").when().post("/o/token")
                .then().statusCode(503)
                .body("error", equalTo("temporarily_unavailable"));
    }
}
