package org.jupyterhealth.exchange.benchmarks;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * End-to-end observation ingest: 8 concurrent uploaders (the demo patients, each uploading their own consented
 * data) POST 100-entry batch Bundles through the gateway and wait for the batch-response, which fhir-service sends
 * once ingest-service's transaction has committed (POST → committed). Every answer must have 100 entries, all
 * {@code 201 Created}. Then, in the same run, the physical limit: PostgreSQL's COPY of the same rows (the same
 * observation JSON and identifiers) into tables shaped and indexed like the observation store, as many rows as the
 * measured uploads stored, into tables as full as the store was when they began (printed beside it: 200,000 rows
 * into empty tables, whose indexes stay within PostgreSQL's buffers).
 *
 * <p>Targets: at least 5,000 observations/s end to end, at least 40% of the COPY rate, p99 of a 100-entry
 * bundle at most 250 ms; with the audit trail on (the default), within 10% of the throughput and p99 measured with it
 * off in the same run ({@link AuditSwitch}: audit off measured between two audit-on runs, each after a restart, the
 * store filling through all three; the off run is compared with each of the on runs beside it).
 *
 * <p>Run: {@code ./jhe bench UploadBenchmark [measured seconds, default 60] [uploaders, default 8]}
 */
public final class UploadBenchmark {
    static final int ENTRIES = 100;
    static final String ID = "__IDENTIFIER__";
    static final String SYSTEM = "https://bench.jupyterhealth.org";

    /** A demo patient (docs/compatibility.md#demo-data), a code they consented to, a valid Open mHealth body for it. */
    record Uploader(String email, long patientId, String code, String body) {
    }

    static final String TIME = "\"effective_time_frame\":{\"date_time\":\"2025-01-01T00:04:00-08:00\"}";
    static final List<Uploader> UPLOADERS = List.of(
            new Uploader("ll_patient_peter@example.com", 40001, "omh:heart-rate:2.0",
                    "{\"heart_rate\":{\"value\":67.5,\"unit\":\"beats/min\"}," + TIME + "}"),
            new Uploader("ll_patient_pamela@example.com", 40002, "omh:blood-pressure:4.0",
                    "{\"systolic_blood_pressure\":{\"value\":115,\"unit\":\"mmHg\"},"
                            + "\"diastolic_blood_pressure\":{\"value\":60,\"unit\":\"mmHg\"}," + TIME + "}"),
            new Uploader("npl_patient_percy@example.com", 40003, "omh:body-temperature:4.0",
                    "{\"body_temperature\":{\"value\":97,\"unit\":\"F\"},\"measurement_location\":\"forehead\","
                            + TIME + "}"),
            new Uploader("ccl_cardio_patient_pat@example.com", 40005, "omh:blood-glucose:4.0",
                    "{\"blood_glucose\":{\"value\":129,\"unit\":\"mg/dL\"}," + TIME + "}"),
            new Uploader("ccl_patient_paul@example.com", 40004, "omh:oxygen-saturation:2.0",
                    "{\"oxygen_saturation\":{\"value\":95,\"unit\":\"%\"}," + TIME + "}"));

    private UploadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        removeUploads("earlier runs");
        Exchange exchange = new Exchange();
        List<String> tokens = new ArrayList<>();
        List<String[]> templates = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            Uploader uploader = UPLOADERS.get(w % UPLOADERS.size());
            tokens.add(exchange.passwordToken(uploader.email()));
            templates.add(template(uploader));
        }
        String probe = bundle(templates.get(0));
        Exchange.Response first = post(exchange, tokens.get(0), probe);
        if (first.statusCode() != 200 || count(first.body(), "\"201 Created\"") != ENTRIES) {
            throw new IllegalStateException("a 100-entry upload was not stored whole: " + first.statusCode() + " "
                    + first.body().substring(0, Math.min(600, first.body().length())));
        }

        System.out.printf("observation upload: %d uploaders, %d-entry batch Bundles, POST → committed, %d s%n",
                concurrency, ENTRIES, seconds);
        LoadRunner.Operation upload = worker -> {
            Exchange.Response response = post(exchange, tokens.get(worker), bundle(templates.get(worker)));
            return response.statusCode() == 200 && count(response.body(), "\"201 Created\"") == ENTRIES;
        };
        // not recorded: until the services' compiled code has settled (the stored rows are removed at the end)
        LoadRunner.warmUp("upload", concurrency, Duration.ofSeconds(10), Duration.ofSeconds(180), upload);
        LoadRunner.Result result = LoadRunner.run("upload of a 100-entry Bundle", concurrency,
                Duration.ofSeconds(5), Duration.ofSeconds(seconds), upload);
        double observationsPerSecond = (result.operations() - result.errors()) * ENTRIES / result.seconds();
        System.out.println(result.summary());
        System.out.printf("end to end: %,.0f observations/s (target >= 5,000); p99 %.1f ms per bundle "
                + "(target <= 250 ms); %d failed uploads%n", observationsPerSecond, result.percentileMillis(99),
                result.errors());

        // the same uploads with fhir-service's audit events off, then on again (the default), each after a restart
        AuditSwitch.alternate("upload", 1, result, audit -> {
            String state = audit ? "audit on again" : "audit off";
            LoadRunner.warmUp("upload, " + state, concurrency, Duration.ofSeconds(10), Duration.ofSeconds(180),
                    upload);
            return LoadRunner.run("upload of a 100-entry Bundle, " + state, concurrency, Duration.ofSeconds(5),
                    Duration.ofSeconds(seconds), upload);
        });

        // the physical limit, in the same run: COPY of the same rows into tables shaped and indexed like the store.
        // The store's indexes outgrow PostgreSQL's buffers as it fills (a random identifier key per row), so the
        // rate depends on how full the tables are: the COPY first loads as many rows as the store held when the
        // measured uploads began (untimed), then times as many rows as they stored
        long measuredRows = (result.operations() - result.errors()) * ENTRIES;
        long before = wholeBatches(storedByThisRun() - measuredRows);
        long timed = Math.max(COPY_BATCH, wholeBatches(measuredRows));
        System.out.println("PostgreSQL COPY of the same rows (with their identifiers):");
        double empty = copyRate(templates, 0, 200_000);
        System.out.printf("  200,000 rows into empty tables: %,.0f observations/s (end to end / COPY: %.0f%%)%n", empty,
                100 * observationsPerSecond / empty);
        double copy = copyRate(templates, before, timed);
        System.out.printf("  %,d rows after %,d, as the uploads stored them: %,.0f observations/s%n", timed, before,
                copy);
        System.out.printf("end to end / COPY of the same rows: %.0f%% (target >= 40%%)%n",
                100 * observationsPerSecond / copy);
        removeUploads("this run");
    }

    static Exchange.Response post(Exchange exchange, String token, String bundle) throws IOException {
        return exchange.postJson("/fhir/r5/", token, bundle, "application/fhir+json");
    }

    /**
     * Every run starts from the same store and leaves it as it found it (the other benchmarks read the demo
     * patients' observations): the benchmark's observations (their identifiers' system is the benchmark's) are
     * removed, and the tables compacted and analysed.
     */
    static void removeUploads(String whose) throws SQLException {
        try (Connection db = Postgres.connect(); Statement sql = db.createStatement()) {
            long started = System.nanoTime();
            int removed = sql.executeUpdate("DELETE FROM ingest.observation o USING ingest.observation_identifier i "
                    + "WHERE i.observation_id = o.id AND i.system = '" + SYSTEM + "'");
            // FULL: the tables are rewritten without the space the removed rows took, so that every run starts
            // from a store of the same physical size whatever the earlier runs stored
            sql.execute("VACUUM FULL ANALYZE ingest.observation, ingest.observation_identifier, ingest.observation_point, "
                    + "ingest.upload");
            System.out.printf("removed %,d observations of %s in %.1f s%n", removed, whose,
                    (System.nanoTime() - started) / 1e9);
        }
    }

    /** The uploader's Bundle entry, split around its identifier value. */
    static String[] template(Uploader uploader) {
        String[] parts = uploader.code().split(":");
        String dataPoint = "{\"header\":{\"uuid\":\"" + UUID.randomUUID() + "\",\"schema_id\":{\"namespace\":\""
                + parts[0] + "\",\"name\":\"" + parts[1] + "\",\"version\":\"" + parts[2] + "\"},"
                + "\"source_creation_date_time\":\"2025-01-01T01:04:01-08:00\",\"modality\":\"sensed\"},"
                + "\"body\":" + uploader.body() + "}";
        String entry = "{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\","
                + "\"identifier\":[{\"system\":\"" + SYSTEM + "\",\"value\":\"" + ID + "\"}],"
                + "\"code\":{\"coding\":[{\"system\":\"https://w3id.org/openmhealth\",\"code\":\"" + uploader.code()
                + "\"}]},\"subject\":{\"reference\":\"Patient/" + uploader.patientId() + "\"},"
                + "\"device\":{\"reference\":\"Device/70001\"},"
                + "\"valueAttachment\":{\"contentType\":\"application/json\",\"data\":\""
                + Base64.getEncoder().encodeToString(dataPoint.getBytes(StandardCharsets.UTF_8)) + "\"}},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}";
        int at = entry.indexOf(ID);
        return new String[] { entry.substring(0, at), entry.substring(at + ID.length()), dataPoint,
                uploader.code(), Long.toString(uploader.patientId()) };
    }

    /** A 100-entry batch with fresh identifiers. */
    static String bundle(String[] template) {
        StringBuilder bundle = new StringBuilder(ENTRIES * (template[0].length() + template[1].length() + 40) + 64);
        bundle.append("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[");
        for (int i = 0; i < ENTRIES; i++) {
            if (i > 0) {
                bundle.append(',');
            }
            bundle.append(template[0]).append(UUID.randomUUID()).append(template[1]);
        }
        return bundle.append("]}").toString();
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
            n++;
        }
        return n;
    }

    /** The benchmark's observations in the store. */
    static long storedByThisRun() throws SQLException {
        try (Connection db = Postgres.connect(); Statement sql = db.createStatement();
                ResultSet rows = sql.executeQuery(
                        "SELECT count(*) FROM ingest.observation_identifier WHERE system = '" + SYSTEM + "'")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static final int COPY_BATCH = 10_000;

    static long wholeBatches(long rows) {
        return rows / COPY_BATCH * COPY_BATCH;
    }

    /**
     * COPY of the uploaders' rows (each uploader's data point in turn, the columns ingest-service writes) and their
     * identifiers into scratch tables shaped and indexed like the store, in transactions of 10,000 rows: {@code
     * before} rows untimed, then {@code rows} rows timed (both whole transactions of 10,000); observations
     * per second of the timed rows. A checkpoint first, so that the writing-out of earlier changes does not slow the
     * COPY down; the scratch tables are dropped afterwards.
     */
    static double copyRate(List<String[]> templates, long before, long rows) throws SQLException, IOException {
        try (Connection db = Postgres.connect()) {
            try (Statement sql = db.createStatement()) {
                sql.execute("DROP SCHEMA IF EXISTS bench_copy CASCADE");
                sql.execute("CREATE SCHEMA bench_copy");
                sql.execute("CREATE TABLE bench_copy.observation (LIKE ingest.observation INCLUDING ALL)");
                sql.execute("CREATE TABLE bench_copy.observation_identifier (LIKE ingest.observation_identifier "
                        + "INCLUDING ALL)");
                sql.execute("CHECKPOINT");
            }
            CopyManager copy = db.unwrap(PGConnection.class).getCopyAPI();
            List<String> jsons = templates.stream().map(t -> t[2].replace("\\", "\\\\").replace("\t", "\\t"))
                    .toList();
            UUID upload = UUID.randomUUID();
            db.setAutoCommit(false);
            long untimed = before / COPY_BATCH;
            long batches = untimed + rows / COPY_BATCH;
            long started = System.nanoTime();
            long next = 1;
            for (long batch = 0; batch < batches; batch++) {
                if (batch == untimed) {
                    started = System.nanoTime();
                }
                StringBuilder observations = new StringBuilder(COPY_BATCH * (jsons.get(0).length() + 200));
                StringBuilder identifiers = new StringBuilder(COPY_BATCH * 80);
                for (int i = 0; i < COPY_BATCH; i++, next++) {
                    int u = (int) (next % templates.size());
                    String[] template = templates.get(u);
                    observations.append(next).append('\t').append(template[4]).append('\t').append(50001).append('\t')
                            .append("https://w3id.org/openmhealth").append('\t').append(template[3]).append('\t')
                            .append(70001).append("\tfinal\t").append(jsons.get(u))
                            .append("\t2025-01-01T00:04:00-08:00\t\\N\t\\N\t").append(upload).append('\t')
                            .append(template[4]).append('\n');
                    identifiers.append(next).append('\t').append(SYSTEM).append('\t').append(UUID.randomUUID())
                            .append('\n');
                }
                copy.copyIn("COPY bench_copy.observation (id, subject_patient_id, codeable_concept_id, coding_system,"
                        + " coding_code, data_source_id, status, omh_data, effective_date_time, effective_period_start,"
                        + " effective_period_end, upload_id, uploaded_by_user_id) FROM STDIN",
                        new StringReader(observations.toString()));
                copy.copyIn("COPY bench_copy.observation_identifier (observation_id, system, value) FROM STDIN",
                        new StringReader(identifiers.toString()));
                db.commit();
            }
            double rate = (batches - untimed) * COPY_BATCH / ((System.nanoTime() - started) / 1e9);
            db.setAutoCommit(true);
            try (Statement sql = db.createStatement()) {
                sql.execute("DROP SCHEMA bench_copy CASCADE");
            }
            return rate;
        }
    }
}
