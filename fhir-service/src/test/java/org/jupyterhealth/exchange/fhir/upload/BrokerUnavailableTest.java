package org.jupyterhealth.exchange.fhir.upload;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.common.testing.TestTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Without a reachable broker an upload is answered 503 within seconds: no hanging request, nothing accepted. */
@QuarkusTest
@TestProfile(BrokerUnavailableTest.NoBroker.class)
@QuarkusTestResource(JwksTestResource.class)
class BrokerUnavailableTest {

    /** Kafka at an address where nothing listens. */
    public static class NoBroker implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return Map.of("kafka.bootstrap.servers", "127.0.0.1:" + socket.getLocalPort());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void anUploadIsAnswered503QuicklyWhenTheBrokerIsUnreachable() {
        upload(); // the first request of the application also loads what every later request uses
        long started = System.nanoTime();

        upload();

        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(8_000);
    }

    static void upload() {
        given().auth().oauth2(TestTokens.patient(10006, "ll_patient_peter@example.com"))
                .contentType("application/fhir+json")
                .body("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"resource\":"
                        + "{\"resourceType\":\"Observation\",\"subject\":{\"reference\":\"Patient/40001\"}},"
                        + "\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}")
                .when().post("/fhir/r5/")
                .then().statusCode(503)
                .header("Retry-After", equalTo("5"))
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("transient"));
    }
}
