package org.jupyterhealth.exchange.benchmarks;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The FHIR resource store under load, beside the Open mHealth observation store.
 *
 * <p>{@code upload}: the Observation upload of {@link UploadBenchmark} (100-entry batch Bundles, the same uploaders,
 * POST → committed), then, in the same run, 100-entry batch Bundles of QuestionnaireResponses through the demo
 * patients' FHIR sources (Peter's 90001, Pamela's 90002: the patients who consented to the QuestionnaireResponse
 * scope). Target: the QuestionnaireResponse rate at least 50% of the Observation rate of the same run.
 *
 * <p>{@code search}: a store of {@code rows} mixed resources (QuestionnaireResponse, Condition, Observation,
 * Procedure, spread over 2,000 patients, Peter's and Pamela's among them) loaded with COPY, then
 * {@code GET /fhir/r5/QuestionnaireResponse?patient=40001&status=completed&_count=20} as Mary (a practitioner
 * permitted by consent) from 32 clients, then, in the same run, the statement fhir-service runs for it executed
 * directly on PostgreSQL from as many sessions (the machine's speed varies, so the ratio says what the number
 * means), and the Open mHealth Observation search of the same patient beside it. Target: p99 at most 25 ms. At
 * 1,000,000 rows: {@code ./jhe bench ResourceStoreBenchmark search 1000000}.
 *
 * <p>Run: {@code ./jhe bench ResourceStoreBenchmark upload [seconds, default 30] [uploaders, default 8]} or
 * {@code ./jhe bench ResourceStoreBenchmark search [rows, default 200000] [seconds, default 30] [clients, default 32]}
 */
public final class ResourceStoreBenchmark {
    static final int ENTRIES = 100;
    static final String UPSTREAM = "bench-";

    private ResourceStoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "upload";
        if (mode.equals("search")) {
            search(args.length > 1 ? Integer.parseInt(args[1]) : 200_000,
                    args.length > 2 ? Integer.parseInt(args[2]) : 30, args.length > 3 ? Integer.parseInt(args[3]) : 32);
        } else {
            upload(args.length > 1 ? Integer.parseInt(args[1]) : 30, args.length > 2 ? Integer.parseInt(args[2]) : 8);
        }
    }

    static void upload(int seconds, int concurrency) throws Exception {
        UploadBenchmark.removeUploads("earlier runs");
        removeResources();
        Exchange exchange = new Exchange();
        String[] emails = { "ll_patient_peter@example.com", "ll_patient_pamela@example.com" };
        String[] sources = { "90001", "90002" };
        List<String> tokens = new ArrayList<>();
        List<String[]> templates = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            tokens.add(exchange.passwordToken(emails[w % 2]));
            templates.add(UploadBenchmark.template(UploadBenchmark.UPLOADERS.get(w % 2)));
        }
        LoadRunner.Operation observations = worker -> {
            Exchange.Response response = UploadBenchmark.post(exchange, tokens.get(worker),
                    UploadBenchmark.bundle(templates.get(worker)));
            return response.statusCode() == 200 && UploadBenchmark.count(response.body(), "\"201 Created\"") == ENTRIES;
        };
        LoadRunner.Operation questionnaires = worker -> {
            Exchange.Response response = exchange.postJson("/fhir/r5/", tokens.get(worker), questionnaireBundle(),
                    "application/fhir+json", Map.of("X-JHE-FHIR-Source-ID", sources[worker % 2]));
            return response.statusCode() == 200 && UploadBenchmark.count(response.body(), "\"201 Created\"") == ENTRIES;
        };
        if (!questionnaires.run(0)) {
            throw new IllegalStateException("a 100-entry QuestionnaireResponse upload was not stored whole (is "
                    + "admin-service's /internal/fhir_sources there?)");
        }
        LoadRunner.warmUp("observation upload", concurrency, Duration.ofSeconds(10), Duration.ofSeconds(120),
                observations);
        LoadRunner.Result obs = LoadRunner.run("Observation 100-entry Bundle", concurrency, Duration.ofSeconds(5),
                Duration.ofSeconds(seconds), observations);
        LoadRunner.warmUp("questionnaire upload", concurrency, Duration.ofSeconds(10), Duration.ofSeconds(120),
                questionnaires);
        LoadRunner.Result qr = LoadRunner.run("QuestionnaireResponse 100-entry Bundle", concurrency,
                Duration.ofSeconds(5), Duration.ofSeconds(seconds), questionnaires);
        double obsRate = (obs.operations() - obs.errors()) * ENTRIES / obs.seconds();
        double qrRate = (qr.operations() - qr.errors()) * ENTRIES / qr.seconds();
        System.out.println(obs.summary());
        System.out.println(qr.summary());
        System.out.printf("Observations %,.0f/s, QuestionnaireResponses %,.0f/s: %.0f%% (target >= 50%%)%n", obsRate,
                qrRate, 100 * qrRate / obsRate);
        UploadBenchmark.removeUploads("this run");
        removeResources();
    }

    static String questionnaireBundle() {
        StringBuilder bundle = new StringBuilder(ENTRIES * 400);
        bundle.append("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[");
        for (int i = 0; i < ENTRIES; i++) {
            if (i > 0) {
                bundle.append(',');
            }
            bundle.append("{\"resource\":{\"resourceType\":\"QuestionnaireResponse\",\"identifier\":[{\"system\":"
                    + "\"https://bench.jupyterhealth.org\",\"value\":\"").append(UUID.randomUUID())
                    .append("\"}],\"questionnaire\":\"https://bench.jupyterhealth.org/Questionnaire/phq-9\","
                            + "\"status\":\"completed\",\"authored\":\"2025-01-01T08:00:00Z\",\"item\":[{\"linkId\":"
                            + "\"1\",\"answer\":[{\"valueInteger\":2}]},{\"linkId\":\"2\",\"answer\":[{"
                            + "\"valueInteger\":1}]}]},\"request\":{\"method\":\"POST\",\"url\":"
                            + "\"QuestionnaireResponse\"}}");
        }
        return bundle.append("]}").toString();
    }

    static void search(int rows, int seconds, int clients) throws Exception {
        removeResources();
        load(rows);
        Exchange exchange = new Exchange();
        String token = exchange.passwordToken("manager_mary@example.com");
        String path = "/fhir/r5/QuestionnaireResponse?patient=40001&status=completed&_count=20";
        Exchange.Response probe = exchange.get(path, token);
        if (probe.statusCode() != 200 || !probe.body().contains("\"entry\":[{")) {
            throw new IllegalStateException("the search found nothing: " + probe.statusCode());
        }
        LoadRunner.Operation search = worker -> exchange.get(path, token).statusCode() == 200;
        LoadRunner.warmUp("search", clients, Duration.ofSeconds(10), Duration.ofSeconds(60), search);
        LoadRunner.Result result = LoadRunner.run("QuestionnaireResponse search", clients, Duration.ofSeconds(5),
                Duration.ofSeconds(seconds), search);
        LoadRunner.Result alone = Postgres.run("its statement alone, " + clients + " sessions", clients,
                Duration.ofSeconds(5), Duration.ofSeconds(seconds), ResourceStoreBenchmark::session,
                ResourceStoreBenchmark::statements);
        // the Open mHealth Observation search of the same patient, through the same gateway, access decisions and
        // audit trail, in the same run: what a FHIR search costs on the machine as it is
        String observations = "/fhir/r5/Observation?patient=40001&_count=20";
        LoadRunner.Result observation = LoadRunner.run("Observation search (beside it)", clients,
                Duration.ofSeconds(5), Duration.ofSeconds(seconds),
                worker -> exchange.get(observations, token).statusCode() == 200);
        System.out.println(result.summary());
        System.out.println(alone.summary());
        System.out.println(observation.summary());
        System.out.printf("store of %,d resources: p99 %.1f ms (target <= 25 ms); its statement alone p99 %.1f ms; "
                + "the Observation search p99 %.1f ms%n", rows, result.percentileMillis(99),
                alone.percentileMillis(99), observation.percentileMillis(99));
        Postgres.printShare("search:", result, alone);
        System.out.printf("search: its rate / the Observation search's in the same run: %.0f%%%n",
                100 * result.throughput() / observation.throughput());
        removeResources();
    }

    /** A session as fhir-service's pool opens one (its generic plans, no JIT compilation). */
    static Connection session() throws SQLException {
        return Postgres.session("fhir", "plan_cache_mode=force_generic_plan", "jit=off");
    }

    /**
     * The statement fhir-service runs for the search (StoreSearch.pageAndCount), as it writes it: the total (the
     * counters per patient, type and status) joined by the first page (each readable patient's newest resources of
     * the type and status, one more than asked).
     */
    static final String FIRST_PAGE = "SELECT paged.*, counted.total FROM (SELECT COALESCE(sum((SELECT c.resources "
            + "FROM ingest.fhir_resource_count c WHERE c.patient_id = p.pid AND c.resource_type = $2 AND c.status = "
            + "s.status)), 0)::bigint FROM unnest($1::bigint[]) AS p(pid) CROSS JOIN unnest($3::text[]) AS s(status)) "
            + "counted(total) LEFT JOIN (SELECT r.* FROM unnest($1::bigint[]) AS p(pid) CROSS JOIN LATERAL (SELECT "
            + "r.id, r.resource_type, r.patient_id, r.fhir_source_id, r.version_id, r.last_updated, r.clinical_date, "
            + "r.resource FROM ingest.fhir_resource r WHERE r.patient_id = p.pid AND r.resource_type = $4 AND "
            + "r.last_updated <= $5 AND r.status = ANY($6::text[]) ORDER BY r.last_updated DESC, r.id DESC LIMIT 21) r "
            + "ORDER BY r.last_updated DESC, r.id DESC LIMIT 21) paged ON TRUE ORDER BY paged.last_updated DESC, "
            + "paged.id DESC";

    static boolean statements(Connection session) throws SQLException {
        Long[] patients = { 40001L };
        String[] statuses = { "completed" };
        String type = "QuestionnaireResponse";
        try (PreparedStatement page = Postgres.prepare(session, FIRST_PAGE, patients, type, statuses, type,
                java.time.OffsetDateTime.now(), statuses); ResultSet rows = page.executeQuery()) {
            int read = 0;
            long total = 0;
            while (rows.next()) {
                rows.getString(1);
                rows.getString(8);
                total = rows.getLong(9);
                read++;
            }
            return read == 21 && total > 0;
        }
    }

    /** Mixed resources over 2,000 patients (every tenth row Peter's or Pamela's), with their search tokens. */
    static void load(int rows) throws SQLException, IOException {
        String[] types = { "QuestionnaireResponse", "Condition", "Observation", "Procedure" };
        try (Connection db = Postgres.connect()) {
            CopyManager copy = db.unwrap(PGConnection.class).getCopyAPI();
            int batch = 50_000;
            for (int from = 0; from < rows; from += batch) {
                StringBuilder resources = new StringBuilder();
                StringBuilder tokens = new StringBuilder();
                for (int i = from; i < Math.min(rows, from + batch); i++) {
                    String type = types[i % types.length];
                    long patient = i % 10 == 0 ? 40001 : i % 10 == 5 ? 40002 : 50_000 + i % 2000;
                    UUID id = UUID.randomUUID();
                    String status = i % 3 == 0 ? "in-progress" : "completed";
                    String json = "{\"resourceType\":\"" + type + "\",\"status\":\"" + status + "\"}";
                    resources.append(id).append('\t').append(type).append('\t').append(patient).append('\t')
                            .append(patient == 40002 ? 90002 : 90001).append('\t').append(UPSTREAM).append(i)
                            .append("\t1\t2025-01-01 00:00:00+00\t").append(status).append('\t')
                            .append(json.replace("\\", "\\\\")).append('\t').append(UUID.randomUUID())
                            .append("\t10002\n");
                    tokens.append(id).append('\t').append(type).append('\t').append(patient)
                            .append("\tstatus\t\t").append(status).append('\n');
                }
                copy.copyIn("COPY ingest.fhir_resource (id, resource_type, patient_id, fhir_source_id, upstream_id, "
                        + "version_id, clinical_date, status, resource, upload_id, written_by_user_id) FROM STDIN",
                        new StringReader(resources.toString()));
                copy.copyIn("COPY ingest.fhir_resource_token (resource_id, resource_type, patient_id, name, system, "
                        + "value) FROM STDIN", new StringReader(tokens.toString()));
            }
            try (Statement sql = db.createStatement()) {
                sql.execute("ANALYZE ingest.fhir_resource, ingest.fhir_resource_token");
            }
        }
        System.out.printf("loaded %,d resources%n", rows);
    }

    /** The benchmark's resources (and everything the store holds of its uploads) removed. */
    static void removeResources() throws SQLException {
        try (Connection db = Postgres.connect(); Statement sql = db.createStatement()) {
            sql.executeUpdate("DELETE FROM ingest.fhir_resource_token t USING ingest.fhir_resource r "
                    + "WHERE t.resource_id = r.id AND (r.upstream_id LIKE '" + UPSTREAM + "%' OR r.resource LIKE "
                    + "'%bench.jupyterhealth.org%')");
            int removed = sql.executeUpdate("DELETE FROM ingest.fhir_resource WHERE upstream_id LIKE '" + UPSTREAM
                    + "%' OR resource LIKE '%bench.jupyterhealth.org%'");
            System.out.printf("removed %,d stored resources%n", removed);
        }
    }
}
