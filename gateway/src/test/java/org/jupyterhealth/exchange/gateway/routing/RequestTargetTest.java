package org.jupyterhealth.exchange.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Request targets that ordinary clients do not send: malformed percent-escapes are refused by the gateway in the
 * path's dialect (the services' HTTP layer would answer a bare 400), and long request lines and large headers,
 * such as a FHIR search naming many codes, reach the service.
 */
@QuarkusTest
@QuarkusTestResource(FakeServices.class)
class RequestTargetTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void aMalformedPercentEscapeIsA400InTheDialectOfItsPath() throws IOException {
        String admin = get("/api/v1/patients?name=%zz");
        assertThat(admin).startsWith("HTTP/1.1 400").contains("{\"detail\":").contains("percent-escape")
                .doesNotContain("\"service\"");

        String fhir = get("/fhir/r5/Observation?code=%");
        assertThat(fhir).startsWith("HTTP/1.1 400").contains("\"resourceType\":\"OperationOutcome\"")
                .contains("\"code\":\"invalid\"");

        String oauth = get("/o/authorize/?client_id=a%2");
        assertThat(oauth).startsWith("HTTP/1.1 400").contains("{\"detail\":");

        String inPath = get("/api/v1/pa%zztients");
        assertThat(inPath).startsWith("HTTP/1.1 400").contains("{\"detail\":");
    }

    @Test
    void wellFormedEscapesArePassedOnAsTheyCame() throws IOException {
        String answer = get("/api/v1/patients?name=%41%c3%a9%25");

        assertThat(answer).startsWith("HTTP/1.1 200").contains("\"service\":\"admin\"")
                .contains("name=%41%c3%a9%25");
    }

    @Test
    void aLongRequestLineAndLargeHeadersReachTheService() throws IOException {
        String query = "code=" + "x".repeat(12_000);
        String header = "X-Probe: " + "y".repeat(40_000) + "\r\n";

        String longLine = get("/fhir/r5/Observation?" + query);
        String largeHeader = RawHttp.exchange(port, "GET /api/v1/patients HTTP/1.1\r\nHost: localhost\r\n" + header
                + "Connection: close\r\n\r\n", 0, 0);

        assertThat(longLine).startsWith("HTTP/1.1 200").contains("\"service\":\"fhir\"");
        assertThat(largeHeader).startsWith("HTTP/1.1 200").contains("\"service\":\"admin\"");
    }

    private String get(String target) throws IOException {
        return RawHttp.exchange(port, "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                0, 0);
    }
}
