package org.jupyterhealth.exchange.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.postgresql.PGConnection;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A study's bulk export ({@code Group/30001/$export} of heart-rate Observations, by manager Mary) of N observations
 * stored for the study's two patients (40001, 40002), against PostgreSQL's own read speed: the same rows (the
 * columns an Observation is written from, with each row's identifiers) read with {@code COPY (SELECT ...) TO STDOUT}
 * in the same run. Measured: the time from kick-off to the manifest, the export's rate in observations/s, the time
 * from kick-off to the first file listed (the export asks for partial manifests, so files are listed as they are
 * finished), the download of its files through the gateway, and the interactive search's p99 at 8
 * clients without and during an export. The rate is that of an export alone (nothing but its own status polls,
 * which fhir-service does not count as interactive); the export beside the searches gives way to them (fhir-service's
 * pacing) and runs longer: its time, and how many of its chunks were paced, are printed.
 *
 * <p>Targets: an export rate of at least 50% of COPY's; the first file within 2 s of the kick-off (for small N);
 * search p99 during the export within 2× of its value without.
 *
 * <p>Run: {@code ./jhe bench ExportBenchmark [observations]} (default 1,000,000; or {@code -Dexport.n=100000}).
 * The observations are inserted straight into the observation store and removed afterwards.
 */
public final class ExportBenchmark {
    static final UUID BENCH_UPLOAD = UUID.fromString("00000000-0000-0000-0000-00000000e4b1");
    static final String HR = "https://w3id.org/openmhealth|omh:heart-rate:2.0";

    private ExportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int observations = args.length > 0 ? Integer.parseInt(args[0])
                : Integer.getInteger("export.n", 1_000_000);
        Exchange exchange = new Exchange();
        String token = exchange.passwordToken("manager_mary@example.com");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try (Connection db = Postgres.connect()) {
            remove(db);
            long started = System.nanoTime();
            insert(db, observations);
            ObservationPagingBenchmark.analyze(db);
            System.out.printf("stored %d observations for Patient/40001 and Patient/40002 in %.1f s%n", observations,
                    (System.nanoTime() - started) / 1e9);
            try {
                // a smaller export of the same rows first (the last fifth, at most 200,000): the worker's code
                // paths compiled before the measured one, as on a service that has run a while
                runExport(exchange, http, token, "&_since=" + URLEncoder.encode(warmUpSince(db,
                        Math.min(observations / 5, 200_000)), StandardCharsets.UTF_8));
                double copySeconds = copy(db);
                Export export = runExport(exchange, http, token, "");
                System.out.println();
                System.out.printf("COPY (SELECT ...) TO STDOUT of the same rows: %d rows, %.2f s, %.0f rows/s%n",
                        copied.get(), copySeconds, copied.get() / copySeconds);
                System.out.printf("export (kick-off to manifest): %d observations in %d files, %.2f s, %.0f obs/s = "
                        + "%.0f%% of COPY (target >= 50%%)%n", export.count(), export.files(), export.seconds(),
                        export.count() / export.seconds(),
                        100 * (export.count() / export.seconds()) / (copied.get() / copySeconds));
                System.out.printf("first file listed %.2f s after the kick-off (allowPartialManifests; target <= 2 s)%n",
                        export.firstFileSeconds());
                System.out.printf("download of every file through the gateway (gzip): %.2f s, %.1f MB uncompressed%n",
                        export.downloadSeconds(), export.bytes() / 1e6);
                if (export.count() != copied.get()) {
                    throw new IllegalStateException("the export wrote " + export.count() + " observations, COPY read "
                            + copied.get());
                }

                String search = "/fhir/r5/Observation?patient=40001&_count=20";
                LoadRunner.Operation page = worker -> exchange.get(search, token).statusCode() == 200;
                LoadRunner.warmUp("search", 8, Duration.ofSeconds(5), Duration.ofSeconds(60), page);
                LoadRunner.Result quiet = LoadRunner.run("search, 8 clients, no export", 8, Duration.ofSeconds(2),
                        Duration.ofSeconds(10), page);
                System.out.println(quiet.summary());
                // the same load while an export runs: kicked off now, measured for as long as it runs (at most 10 s);
                // that export gives way to the searches (fhir-service's pacing), so it runs longer than the one alone
                long[] chunksBefore = chunks(http, exchange);
                String status = kickOff(http, exchange, token, "");
                long kicked = System.nanoTime();
                LoadRunner.Result busy = LoadRunner.run("search, 8 clients, during an export", 8, Duration.ZERO,
                        Duration.ofSeconds(Math.max(2, Math.min(10, (long) Math.ceil(export.seconds())))), page);
                System.out.println(busy.summary());
                JsonNode manifest = await(http, token, status);
                System.out.printf("  (that export took %.2f s; %d files)%n", (System.nanoTime() - kicked) / 1e9,
                        manifest.path("output").size());
                long[] chunksAfter = chunks(http, exchange);
                if (chunksBefore != null && chunksAfter != null) {
                    System.out.printf("  (its chunks: %d paced, %d flat out; fhir-service's jhe_fhir_export_chunks)%n",
                            chunksAfter[0] - chunksBefore[0], chunksAfter[1] - chunksBefore[1]);
                }
                System.out.printf("search p99 during an export / without: %.2f× (target <= 2×)%n",
                        busy.percentileMillis(99) / quiet.percentileMillis(99));
                delete(http, token, status);
            } finally {
                remove(db);
            }
        }
    }

    record Export(long count, int files, double seconds, double firstFileSeconds, double downloadSeconds, long bytes) {
    }

    private static final AtomicLong copied = new AtomicLong();

    /** Kicks off, waits for the manifest, downloads every file, cancels the job (removing its files). */
    static Export runExport(Exchange exchange, HttpClient http, String token, String more) throws Exception {
        long start = System.nanoTime();
        String status = kickOff(http, exchange, token, more);
        long[] firstFile = { 0 };
        JsonNode manifest = await(http, token, status, () -> {
            if (firstFile[0] == 0) {
                firstFile[0] = System.nanoTime();
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        long count = 0;
        long bytes = 0;
        long downloadStart = System.nanoTime();
        for (JsonNode output : manifest.path("output")) {
            count += output.path("count").asLong();
            HttpResponse<InputStream> file = http.send(request(output.path("url").asText(), token)
                    .header("Accept-Encoding", "gzip").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (file.statusCode() != 200) {
                throw new IllegalStateException("download failed: " + file.statusCode());
            }
            boolean gzip = file.headers().firstValue("Content-Encoding").orElse("").equals("gzip");
            try (InputStream body = gzip ? new java.util.zip.GZIPInputStream(file.body()) : file.body()) {
                bytes += body.transferTo(OutputStream.nullOutputStream());
            }
        }
        double downloadSeconds = (System.nanoTime() - downloadStart) / 1e9;
        delete(http, token, status);
        return new Export(count, manifest.path("output").size(), seconds, (firstFile[0] - start) / 1e9,
                downloadSeconds, bytes);
    }

    /**
     * fhir-service's count of export chunks paced and flat out (its metric {@code jhe_fhir_export_chunks_total}, on
     * its management port of a local stack: the gateway's port + 583); null when it cannot be read.
     */
    static long[] chunks(HttpClient http, Exchange exchange) {
        try {
            int gateway = URI.create(exchange.baseUrl()).getPort();
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + (gateway + 583) + "/q/metrics")).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (metrics.statusCode() != 200) {
                return null;
            }
            long[] counts = new long[2];
            for (String line : metrics.body().split("\n")) {
                if (line.startsWith("jhe_fhir_export_chunks_total")) {
                    long value = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    counts[line.contains("pace=\"paced\"") ? 0 : 1] += value;
                }
            }
            return counts;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (IOException | RuntimeException e) {
            return null; // not a local stack, or metrics elsewhere: the run goes on without them
        }
    }

    static String kickOff(HttpClient http, Exchange exchange, String token, String more) throws Exception {
        String url = exchange.baseUrl() + "/fhir/r5/Group/30001/$export?_type=Observation&_typeFilter="
                + URLEncoder.encode("Observation?code=" + HR, StandardCharsets.UTF_8) + "&allowPartialManifests=true" + more;
        HttpResponse<String> kicked = http.send(request(url, token).header("Prefer", "respond-async").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (kicked.statusCode() != 202) {
            throw new IllegalStateException("kick-off refused: " + kicked.statusCode() + " " + kicked.body());
        }
        String location = kicked.headers().firstValue("Content-Location").orElseThrow();
        // the manifest's URLs are written on the exchange's public URL; the benchmark talks to the gateway
        URI given = URI.create(location);
        return exchange.baseUrl() + given.getRawPath();
    }

    static JsonNode await(HttpClient http, String token, String status) throws Exception {
        return await(http, token, status, () -> {
        });
    }

    /** Polls until the manifest; {@code listed} runs at each answer that lists a file (a partial or the whole). */
    static JsonNode await(HttpClient http, String token, String status, Runnable listed) throws Exception {
        while (true) {
            HttpResponse<String> answer = http.send(request(status, token).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200) {
                listed.run();
                return Exchange.JSON.readTree(answer.body());
            }
            if (answer.statusCode() == 202 && !answer.body().isEmpty()
                    && Exchange.JSON.readTree(answer.body()).path("output").size() > 0) {
                listed.run();
            }
            if (answer.statusCode() != 202) {
                throw new IllegalStateException("export failed: " + answer.statusCode() + " " + answer.body());
            }
            Thread.sleep(50);
        }
    }

    static void delete(HttpClient http, String token, String status) throws Exception {
        http.send(request(status, token).DELETE().build(), HttpResponse.BodyHandlers.discarding());
    }

    private static HttpRequest.Builder request(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(30))
                .header("Authorization", "Bearer " + token);
    }

    /** The rows the export writes, read by PostgreSQL alone and sent to this client as COPY text. */
    static double copy(Connection db) throws Exception {
        String select = "SELECT o.id, o.subject_patient_id, o.coding_system, o.coding_code, o.data_source_id, o.status, "
                + "o.omh_data::text, o.effective_date_time, o.effective_period_start, o.effective_period_end, "
                + "o.last_updated, (SELECT json_agg(json_build_array(i.system, i.value)) FROM "
                + "ingest.observation_identifier i WHERE i.observation_id = o.id)::text FROM ingest.observation o "
                + "WHERE o.subject_patient_id IN (40001, 40002) AND o.coding_system = 'https://w3id.org/openmhealth' "
                + "AND o.coding_code = 'omh:heart-rate:2.0'";
        long start = System.nanoTime();
        long rows = db.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + select + ") TO STDOUT",
                OutputStream.nullOutputStream());
        copied.set(rows);
        return (System.nanoTime() - start) / 1e9;
    }

    static void insert(Connection db, int count) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement("""
                INSERT INTO ingest.observation (subject_patient_id, codeable_concept_id, coding_system, coding_code,
                    data_source_id, status, omh_data, effective_date_time, upload_id, last_updated)
                SELECT 40001 + i % 2, 50004, 'https://w3id.org/openmhealth', 'omh:heart-rate:2.0', NULL, 'final',
                    jsonb_build_object(
                        'header', jsonb_build_object('uuid', gen_random_uuid()::text,
                            'schema_id', jsonb_build_object('namespace', 'omh', 'name', 'heart-rate', 'version', '2.0'),
                            'source_creation_date_time', to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                            'modality', 'sensed'),
                        'body', jsonb_build_object('heart_rate', jsonb_build_object('value', 55 + (i % 40),
                            'unit', 'beats/min'), 'effective_time_frame', jsonb_build_object('date_time',
                                to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')))),
                    t, ?, clock_timestamp() - interval '1 hour' - (? - i) * interval '1 millisecond'
                FROM generate_series(1, ?) AS i, LATERAL (SELECT now() - (? - i) * interval '1 minute' AS t) times
                """)) {
            insert.setObject(1, BENCH_UPLOAD);
            insert.setInt(2, count);
            insert.setInt(3, count);
            insert.setInt(4, count);
            insert.executeUpdate();
        }
    }

    /** The last update before the newest {@code rows} of the benchmark's, as an instant. */
    static String warmUpSince(Connection db, int rows) throws SQLException {
        try (PreparedStatement query = db.prepareStatement("SELECT last_updated FROM ingest.observation "
                + "WHERE upload_id = ? ORDER BY last_updated DESC OFFSET ? LIMIT 1")) {
            query.setObject(1, BENCH_UPLOAD);
            query.setInt(2, rows);
            try (java.sql.ResultSet found = query.executeQuery()) {
                return found.next() ? found.getObject(1, java.time.OffsetDateTime.class).toInstant().toString()
                        : "2999-01-01T00:00:00Z";
            }
        }
    }

    static void remove(Connection db) throws SQLException {
        try (PreparedStatement delete = db.prepareStatement("DELETE FROM ingest.observation WHERE upload_id = ?")) {
            delete.setObject(1, BENCH_UPLOAD);
            delete.executeUpdate();
        }
    }
}
