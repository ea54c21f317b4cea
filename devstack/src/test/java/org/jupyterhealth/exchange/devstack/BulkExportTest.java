package org.jupyterhealth.exchange.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** {@code ./jhe export} against a stand-in FHIR server that answers as the exchange's bulk export does. */
class BulkExportTest {
    private HttpServer server;
    private String base;
    private final AtomicInteger polls = new AtomicInteger();
    private final List<String> tokens = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        base = "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir/r5";
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            tokens.add(exchange.getRequestHeaders().getFirst("Authorization"));
            String path = exchange.getRequestURI().getRawPath();
            if (path.endsWith("/Group/30001/$export") || path.endsWith("/Group/30001/%24export")) {
                boolean async = "respond-async".equals(exchange.getRequestHeaders().getFirst("Prefer"));
                exchange.getResponseHeaders().add("Content-Location", base + "/_export/job");
                exchange.sendResponseHeaders(async ? 202 : 400, -1);
            } else if (path.endsWith("/Group/404/$export") || path.endsWith("/Group/404/%24export")) {
                send(exchange, 403, "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"diagnostics\":\"not yours\"}]}");
            } else if (path.endsWith("/_export/job")) {
                if (polls.incrementAndGet() < 3) {
                    exchange.getResponseHeaders().add("X-Progress", (polls.get() * 40) + "% (4 of about 10)");
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    exchange.sendResponseHeaders(202, -1);
                } else {
                    send(exchange, 200, "{\"output\":[{\"type\":\"Observation\",\"url\":\"" + base
                            + "/_export/job/Observation-1.ndjson\",\"count\":2}]}");
                }
            } else if (path.endsWith("/_export/job/Observation-1.ndjson")) {
                ByteArrayOutputStream zipped = new ByteArrayOutputStream();
                try (OutputStream gzip = new GZIPOutputStream(zipped)) {
                    gzip.write("{\"resourceType\":\"Observation\"}\n{\"resourceType\":\"Observation\"}\n"
                            .getBytes(StandardCharsets.UTF_8));
                }
                exchange.getResponseHeaders().add("Content-Encoding", "gzip");
                exchange.sendResponseHeaders(200, zipped.size());
                exchange.getResponseBody().write(zipped.toByteArray());
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Test
    void kicksOffShowsProgressAndDownloadsTheFilesUnzipped() throws Exception {
        List<String> shown = new ArrayList<>();
        BulkExport export = new BulkExport(HttpClient.newHttpClient(), base, "tok", Duration.ofMillis(100));

        BulkExport.Result result = export.run("30001", dir.resolve("out"), shown::add);

        assertThat(result.resources()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("out/Observation-1.ndjson"))).hasLineCount(2)
                .startsWith("{\"resourceType\":\"Observation\"}");
        assertThat(shown).anyMatch(line -> line.startsWith("[############..................]  40%"));
        assertThat(shown).anyMatch(line -> line.contains("100%"));
        assertThat(tokens).allMatch("Bearer tok"::equals);
    }

    @Test
    void aRefusalIsToldWithTheServersReason() {
        BulkExport export = new BulkExport(HttpClient.newHttpClient(), base, "tok", Duration.ofMillis(100));

        assertThatThrownBy(() -> export.run("404", dir, line -> {
        })).isInstanceOf(LauncherException.class).hasMessageContaining("403").hasMessageContaining("not yours");
        assertThatThrownBy(() -> export.run("30001; rm", dir, line -> {
        })).isInstanceOf(LauncherException.class).hasMessageContaining("STUDY_ID");
    }

    @Test
    void barAndPercentReadTheProgressHeader() {
        assertThat(BulkExport.percent("42% (4200 of about 10000 resources written)")).isEqualTo(42);
        assertThat(BulkExport.percent("queued")).isZero();
        assertThat(BulkExport.bar(50)).isEqualTo("[###############...............]  50%");
    }
}
