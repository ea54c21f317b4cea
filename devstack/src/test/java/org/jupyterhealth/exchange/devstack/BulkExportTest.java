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
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * {@code ./jhe export} against a stand-in FHIR server that answers as the exchange's bulk export does: a job whose
 * status lists its finished files while it runs (partial manifests), then the manifest. The same command against
 * the real stack: system test {@code ExportRestartIT}.
 */
class BulkExportTest {
    private HttpServer server;
    private String base;
    private final AtomicInteger polls = new AtomicInteger();
    private final List<String> tokens = Collections.synchronizedList(new ArrayList<>());
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    /** The status answers in turn (the last one repeated): each a list of "name count" files, null for done. */
    private volatile List<List<String>> listings = Arrays.asList(List.of(), List.of("Observation-1.ndjson 2"), null);
    private volatile List<String> finished = List.of("Observation-1.ndjson 2", "Observation-2.ndjson 3");
    private volatile int jobStatus = 0;
    /** Lines left out of Observation-2.ndjson as served. */
    private volatile int short1 = 0;
    /** Downloads of Observation-2.ndjson served damaged (a line changed, its length with it) before a whole one. */
    private final AtomicInteger damaged = new AtomicInteger();
    /** Whether the manifest gives each file's size ({@code extension.size}), as the exchange's does. */
    private volatile boolean sizes = true;
    static final String LINE = "{\"resourceType\":\"Observation\"}\n";

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
            requests.add(path + (exchange.getRequestURI().getRawQuery() == null ? ""
                    : "?" + exchange.getRequestURI().getRawQuery()));
            if (path.endsWith("/Group/30001/$export") || path.endsWith("/Group/30001/%24export")) {
                boolean async = "respond-async".equals(exchange.getRequestHeaders().getFirst("Prefer"));
                exchange.getResponseHeaders().add("Content-Location", base + "/_export/job");
                exchange.sendResponseHeaders(async ? 202 : 400, -1);
            } else if (path.endsWith("/Group/403/$export") || path.endsWith("/Group/403/%24export")) {
                send(exchange, 403, "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"diagnostics\":\"not yours\"}]}");
            } else if (path.endsWith("/Group/429/$export") || path.endsWith("/Group/429/%24export")) {
                exchange.getResponseHeaders().add("Retry-After", "10");
                send(exchange, 429, "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"diagnostics\":\"two "
                        + "running\\u001b[2J\"}]}");
            } else if (path.endsWith("/_export/job")) {
                if (jobStatus != 0) {
                    send(exchange, jobStatus, "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"diagnostics\":"
                            + "\"No such export.\"}]}");
                    return;
                }
                int poll = polls.getAndIncrement();
                List<String> listed = listings.get(Math.min(poll, listings.size() - 1));
                if (listed != null) {
                    exchange.getResponseHeaders().add("X-Progress", (poll * 40) + "% (4 of about 10)");
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    if (listed.isEmpty()) {
                        exchange.sendResponseHeaders(202, -1);
                    } else {
                        send(exchange, 202, manifest(listed));
                    }
                } else {
                    send(exchange, 200, manifest(finished));
                }
            } else if (path.matches(".*/_export/job/Observation-[0-9]\\.ndjson")) {
                String name = path.substring(path.lastIndexOf('/') + 1);
                int lines = finished.stream().filter(f -> f.startsWith(name + " ")).findFirst()
                        .map(f -> Integer.parseInt(f.substring(f.indexOf(' ') + 1))).orElse(0)
                        - (name.equals("Observation-2.ndjson") ? short1 : 0);
                String content = LINE.repeat(lines);
                if (name.equals("Observation-2.ndjson") && damaged.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    content = content.replaceFirst("Observation", "Obs");
                }
                ByteArrayOutputStream zipped = new ByteArrayOutputStream();
                try (OutputStream gzip = new GZIPOutputStream(zipped)) {
                    gzip.write(content.getBytes(StandardCharsets.UTF_8));
                }
                exchange.getResponseHeaders().add("Content-Encoding", "gzip");
                exchange.sendResponseHeaders(200, zipped.size());
                exchange.getResponseBody().write(zipped.toByteArray());
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private String manifest(List<String> files) {
        StringBuilder output = new StringBuilder();
        for (String file : files) {
            String[] nameCount = file.split(" ");
            output.append(output.isEmpty() ? "" : ",").append("{\"type\":\"Observation\",\"url\":\"").append(base)
                    .append("/_export/job/").append(nameCount[0]).append("\",\"count\":").append(nameCount[1]);
            if (sizes) {
                output.append(",\"extension\":{\"size\":").append(Integer.parseInt(nameCount[1]) * LINE.length())
                        .append('}');
            }
            output.append('}');
        }
        return "{\"output\":[" + output + "],\"error\":[]}";
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private BulkExport export() {
        return new BulkExport(HttpClient.newHttpClient(), base, "tok", Duration.ofMillis(100));
    }

    private long downloads(String name) {
        return requests.stream().filter(r -> r.endsWith("/" + name)).count();
    }

    @Test
    void downloadsEachFileAsSoonAsItIsListedAndChecksTheManifestsCounts() throws Exception {
        List<String> shown = new ArrayList<>();

        BulkExport.Result result = export().run("30001", dir.resolve("out"), shown::add);

        assertThat(requests.get(0)).contains("$export").endsWith("?allowPartialManifests=true");
        assertThat(result.resources()).isEqualTo(5);
        assertThat(result.files()).containsExactly(dir.resolve("out/Observation-1.ndjson"),
                dir.resolve("out/Observation-2.ndjson"));
        assertThat(Files.readString(dir.resolve("out/Observation-1.ndjson"))).hasLineCount(2)
                .startsWith("{\"resourceType\":\"Observation\"}");
        assertThat(Files.readString(dir.resolve("out/Observation-2.ndjson"))).hasLineCount(3);
        // the first file came while the job ran, before the manifest; each file once
        int first = indexOf(shown, "downloaded Observation-1.ndjson (2 Observation) while the export runs");
        assertThat(first).isPositive().isLessThan(indexOf(shown, "done"));
        assertThat(indexOf(shown, "downloaded Observation-2.ndjson (3 Observation)"))
                .isGreaterThan(indexOf(shown, "done"));
        assertThat(downloads("Observation-1.ndjson")).isEqualTo(1);
        assertThat(downloads("Observation-2.ndjson")).isEqualTo(1);
        assertThat(shown).anyMatch(line -> line.startsWith("[############..................]  40%"));
        assertThat(tokens).allMatch("Bearer tok"::equals);
        assertThat(dir.resolve("out/" + BulkExport.JOB_FILE)).hasContent(base + "/_export/job\n");
        try (var left = Files.list(dir.resolve("out"))) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
    }

    @Test
    void runAgainOnTheSameFolderFollowsTheSameJobAndSkipsTheFilesItHolds() throws Exception {
        export().run("30001", dir, line -> {
        });
        Files.writeString(dir.resolve("Observation-2.ndjson"), "{\"cut\":\n"); // cut short: one line, not three
        requests.clear();
        List<String> shown = new ArrayList<>();

        BulkExport.Result again = export().run("30001", dir, shown::add);

        assertThat(again.resources()).isEqualTo(5);
        assertThat(requests).noneMatch(r -> r.contains("export?") || r.endsWith("$export"));
        assertThat(downloads("Observation-1.ndjson")).isZero();
        assertThat(downloads("Observation-2.ndjson")).isEqualTo(1);
        assertThat(shown).contains("already downloaded: Observation-1.ndjson (2 Observation)");
        assertThat(Files.readString(dir.resolve("Observation-2.ndjson"))).hasLineCount(3);
    }

    @Test
    void runAgainOnTheSameFolderDownloadsAgainAFileWithTheListedCountButNotItsSize() throws Exception {
        export().run("30001", dir, line -> {
        });
        // damaged in DIR: still two lines, but not the bytes the manifest lists
        Files.writeString(dir.resolve("Observation-1.ndjson"), "{\"resourceType\":\"Obs\"}\n{}\n");
        requests.clear();
        List<String> shown = new ArrayList<>();

        export().run("30001", dir, shown::add);

        assertThat(downloads("Observation-1.ndjson")).isEqualTo(1);
        assertThat(downloads("Observation-2.ndjson")).isZero();
        assertThat(shown).contains("Observation-1.ndjson holds 26 bytes where the manifest says 62 in " + dir
                + ": downloading it again");
        assertThat(Files.readString(dir.resolve("Observation-1.ndjson"))).isEqualTo(LINE.repeat(2));
    }

    @Test
    void aDownloadThatDoesNotMatchTheManifestIsMadeAgain() throws Exception {
        damaged.set(1);
        List<String> shown = new ArrayList<>();

        BulkExport.Result result = export().run("30001", dir, shown::add);

        assertThat(result.resources()).isEqualTo(5);
        assertThat(downloads("Observation-2.ndjson")).isEqualTo(2);
        assertThat(shown).contains("Observation-2.ndjson holds 85 bytes where the manifest says 93 as downloaded: "
                + "downloading it again");
        assertThat(Files.readString(dir.resolve("Observation-2.ndjson"))).isEqualTo(LINE.repeat(3));
    }

    @Test
    void aDownloadDamagedTwiceIsAnErrorAndLeavesNoFileBehind() throws Exception {
        damaged.set(2);

        assertThatThrownBy(() -> export().run("30001", dir, line -> {
        })).isInstanceOf(LauncherException.class)
                .hasMessage("Observation-2.ndjson holds 85 bytes where the manifest says 93");
        assertThat(dir.resolve("Observation-2.ndjson")).doesNotExist();
        assertThat(dir.resolve("Observation-2.ndjson.part")).doesNotExist();
    }

    @Test
    void aManifestWithoutSizesIsCheckedByCountAlone() throws Exception {
        sizes = false;

        BulkExport.Result result = export().run("30001", dir, line -> {
        });

        assertThat(result.resources()).isEqualTo(5);
    }

    @Test
    void aJobRedoneByTheServerHasItsFilesDownloadedAgainWhenListedAgain() throws Exception {
        // listed, then gone (the service restarted and the job is redone from the start), then listed again
        listings = Arrays.asList(List.of("Observation-1.ndjson 2"), List.of(), List.of("Observation-1.ndjson 2"),
                null);
        List<String> shown = new ArrayList<>();

        BulkExport.Result result = export().run("30001", dir, shown::add);

        assertThat(result.resources()).isEqualTo(5);
        assertThat(shown).anyMatch(line -> line.startsWith("the server redoes the export: Observation-1.ndjson"));
        assertThat(downloads("Observation-1.ndjson")).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("Observation-1.ndjson"))).hasLineCount(2);
    }

    @Test
    void aFileWithoutTheManifestsCountIsAnError() {
        short1 = 1; // the file served holds one line less than the manifest says

        assertThatThrownBy(() -> export().run("30001", dir, line -> {
        })).isInstanceOf(LauncherException.class)
                .hasMessage("Observation-2.ndjson holds 2 resources where the manifest says 3");
    }

    @Test
    void anExpiredJobIsToldWithWhatToDo() throws Exception {
        Files.writeString(dir.resolve(BulkExport.JOB_FILE), base + "/_export/job\n");
        jobStatus = 404;

        assertThatThrownBy(() -> export().run("30001", dir, line -> {
        })).isInstanceOf(LauncherException.class).hasMessageContaining("expired or cancelled")
                .hasMessageContaining("remove " + dir.resolve(BulkExport.JOB_FILE));
    }

    @Test
    void aJobFileNamingAnotherServerIsNotFollowed() throws Exception {
        Files.writeString(dir.resolve(BulkExport.JOB_FILE), "http://elsewhere.example/_export/job\n");

        assertThatThrownBy(() -> export().run("30001", dir, line -> {
        })).isInstanceOf(LauncherException.class).hasMessageContaining("does not name an export of this stack");
        assertThat(requests).isEmpty();
    }

    @Test
    void aRefusalIsToldWithTheServersReason() {
        assertThatThrownBy(() -> export().run("403", dir.resolve("a"), line -> {
        })).isInstanceOf(LauncherException.class).hasMessageContaining("may not export study 403")
                .hasMessageContaining("403").hasMessageContaining("not yours");
        assertThatThrownBy(() -> export().run("429", dir.resolve("b"), line -> {
        })).isInstanceOf(LauncherException.class).hasMessageContaining("as many exports running as allowed")
                .hasMessageContaining("retry after 10 s").hasMessageContaining("two running?[2J");
        assertThatThrownBy(() -> export().run("30001; rm", dir.resolve("c"), line -> {
        })).isInstanceOf(LauncherException.class).hasMessageContaining("STUDY_ID");
        assertThat(dir.resolve("c")).doesNotExist();
    }

    @Test
    void barAndPercentReadTheProgressHeader() {
        assertThat(BulkExport.percent("42% (4200 of about 10000 resources written)")).isEqualTo(42);
        assertThat(BulkExport.percent("queued")).isZero();
        assertThat(BulkExport.bar(50)).isEqualTo("[###############...............]  50%");
    }

    private static int indexOf(List<String> shown, String end) {
        for (int i = 0; i < shown.size(); i++) {
            if (shown.get(i).endsWith(end)) {
                return i;
            }
        }
        return -1;
    }
}
