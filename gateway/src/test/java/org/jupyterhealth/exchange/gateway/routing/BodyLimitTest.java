package org.jupyterhealth.exchange.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * With the exchange's default body limit (20 MiB), every body up to the limit reaches the service, announced or
 * chunked, including those above Quarkus's own default server limit (10 MiB); every body above it is answered 413
 * in the path's dialect, never with a reset connection.
 */
@QuarkusTest
@QuarkusTestResource(FakeServices.class)
class BodyLimitTest {
    private static final int MIB = 1024 * 1024;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @ParameterizedTest
    @ValueSource(ints = { 10 * MIB - 1, 10 * MIB + 1, 20 * MIB })
    void anAnnouncedBodyUpToTheLimitReachesTheService(int size) throws Exception {
        HttpResponse<String> response = send("/fhir/r5/", size, true);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"bodySize\":" + size);
    }

    @ParameterizedTest
    @ValueSource(ints = { 10 * MIB - 1, 10 * MIB + 1, 20 * MIB })
    void aChunkedBodyUpToTheLimitReachesTheService(int size) throws Exception {
        HttpResponse<String> response = send("/api/v1/patients", size, false);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"bodySize\":" + size);
    }

    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void aBodyJustOverTheLimitIs413AsAnOperationOutcomeOnFhirPaths(boolean announced) throws Exception {
        HttpResponse<String> response = send("/fhir/r5/", 20 * MIB + 1, announced);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/fhir+json");
        assertThat(response.body()).contains("\"resourceType\":\"OperationOutcome\"").contains("\"too-long\"");
    }

    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void aBodyJustOverTheLimitIs413InTheDetailDialectOnAdminPaths(boolean announced) throws Exception {
        HttpResponse<String> response = send("/api/v1/patients", 20 * MIB + 1, announced);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).isEqualTo("{\"detail\":\"Request body exceeds the limit of 20971520 bytes.\"}");
    }

    @Test
    void aHugeAnnouncedBodyIs413BeforeItIsSent() throws Exception {
        String answer = RawHttp.exchange(port, "POST /api/v1/patients HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n", 0, 0);

        assertThat(answer).startsWith("HTTP/1.1 413");
        assertThat(answer).contains("{\"detail\":\"Request body exceeds the limit of 20971520 bytes.\"}");
    }

    /** POSTs {@code size} bytes, with a Content-Length or chunked, as an ordinary client does: all of it. */
    private HttpResponse<String> send(String path, int size, boolean announced) throws Exception {
        HttpRequest.BodyPublisher body = announced
                ? HttpRequest.BodyPublishers.ofByteArray(new byte[size])
                : HttpRequest.BodyPublishers.ofInputStream(() -> new Zeros(size));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", path.startsWith("/fhir") ? "application/fhir+json" : "application/json")
                .POST(body).build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** {@code size} zero bytes, of unannounced length. */
    private static final class Zeros extends InputStream {
        private long left;

        Zeros(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            return 0;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(length, left);
            Arrays.fill(buffer, offset, offset + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
