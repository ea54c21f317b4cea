package org.jupyterhealth.exchange.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reading one patient's 10,000 observations in full through the gateway, as a researcher's notebook does: the
 * FHIR Observation search of patient 40001 (the demo's Peter) by manager Mary, following {@code next} links at
 * {@code _count=20}, {@code 100} and {@code 1000}. Then the first page of that search under 32 concurrent clients.
 * The observations are inserted straight into the observation store (as ingest-service stores them) and removed
 * afterwards.
 *
 * <p>Targets: a full read in at most 1.5 s at {@code _count=20} and 0.5 s at {@code _count=1000}; the last
 * page within 1.5 times the first; search p99 at most 25 ms with 32 concurrent clients.
 *
 * <p>Run: {@code ./jhe bench ObservationPagingBenchmark [observations] [runs]}
 *
 * <p>{@code ./jhe bench ObservationPagingBenchmark stale [others] [runs]} reads the same 10,000 observations from a
 * large store whose statistics are missing, as on a server with autovacuum off after many uploads: {@code others}
 * (default 640,000) observations of other patients are stored beside them, every observation with an identifier, and
 * nothing is analyzed. Then it prints the tables' statistics as the server has them.
 */
public final class ObservationPagingBenchmark {
    static final long PATIENT = 40001;
    static final UUID BENCH_UPLOAD = UUID.fromString("00000000-0000-0000-0000-00000000b5e1");

    private ObservationPagingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        boolean stale = args.length > 0 && args[0].equals("stale");
        int first = stale ? 1 : 0;
        int observations = stale ? 10_000 : args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int others = stale ? (args.length > 1 ? Integer.parseInt(args[1]) : 640_000) : 0;
        int runs = args.length > first + 1 ? Integer.parseInt(args[first + 1]) : 5;
        Exchange exchange = new Exchange();
        String token = exchange.passwordToken("manager_mary@example.com");

        try (Connection db = connect()) {
            remove(db);
            long started = System.nanoTime();
            insert(db, observations);
            if (stale) {
                insertOthers(db, others);
                printStatistics(db);
            } else {
                analyze(db);
            }
            System.out.printf("stored %d observations for Patient/%d (and %d of other patients) in %.2f s%n",
                    observations, PATIENT, others, (System.nanoTime() - started) / 1e9);
            try {
                String search = "/fhir/r5/Observation?patient=" + PATIENT;
                long expected = total(exchange, token, search);
                System.out.printf("Patient/%d: %d observations visible to manager_mary (search total)%n", PATIENT,
                        expected);
                for (int warm = 0; warm < 3; warm++) {
                    readAll(exchange, token, search + "&_count=100", expected);
                }
                System.out.println();
                System.out.println("full read by following next (median of " + runs + " runs):");
                for (int count : new int[] { 20, 100, 1000 }) {
                    List<FullRead> reads = new ArrayList<>();
                    for (int run = 0; run < runs; run++) {
                        reads.add(readAll(exchange, token, search + "&_count=" + count, expected));
                    }
                    reads.sort((a, b) -> Double.compare(a.seconds(), b.seconds()));
                    FullRead median = reads.get(reads.size() / 2);
                    double firstMs = reads.stream().mapToDouble(FullRead::firstMillis).sorted().toArray()[runs / 2];
                    double earlyMs = reads.stream().mapToDouble(FullRead::earlyMillis).sorted().toArray()[runs / 2];
                    double deepMs = reads.stream().mapToDouble(FullRead::deepMillis).sorted().toArray()[runs / 2];
                    String target = count == 20 ? "  (target <= 1.5 s)" : count == 1000 ? "  (target <= 0.5 s)" : "";
                    System.out.printf("  _count=%-5d %4d pages  %6d observations  %7.3f s%s%n      first page (with "
                            + "total) %7.2f ms; full pages early %7.2f ms, deep %7.2f ms: deep/early %.2f, deep/first "
                            + "%.2f (target <= 1.5)%n", count, median.pages(), median.observations(), median.seconds(),
                            target, firstMs, earlyMs, deepMs, deepMs / earlyMs, deepMs / firstMs);
                    System.out.printf("      every page of the median read: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                            median.p50Millis(), median.p99Millis(), median.maxMillis());
                }
                System.out.println();
                LoadRunner.Operation firstPage = worker -> exchange.get(search + "&_count=20", token)
                        .statusCode() == 200;
                // the same load first, not recorded, until a freshly started fhir-service has compiled its hot paths
                LoadRunner.warmUp("search", 32, Duration.ofSeconds(10), Duration.ofSeconds(120), firstPage);
                LoadRunner.Result result = LoadRunner.run("Observation search, first page (_count=20)", 32,
                        Duration.ofSeconds(5), Duration.ofSeconds(20), firstPage);
                System.out.println(result.summary() + "   (target p99 <= 25 ms)");
                LoadRunner.Result pages = LoadRunner.run("Observation search, first page, _total=none", 32,
                        Duration.ofSeconds(5), Duration.ofSeconds(20), worker -> {
                            Exchange.Response response = exchange.get(search + "&_count=20&_total=none", token);
                            return response.statusCode() == 200;
                        });
                System.out.println(pages.summary());
            } finally {
                remove(db);
            }
        }
    }

    /**
     * One full read: the first page (which also counts the total), and the mean of the ten full pages after it and
     * of the ten full pages before the last (partial) page, to compare a page's cost early and deep in the read.
     */
    record FullRead(int pages, int observations, double seconds, double firstMillis, double earlyMillis,
            double deepMillis, double p50Millis, double p99Millis, double maxMillis) {
    }

    static long total(Exchange exchange, String token, String search) throws Exception {
        Exchange.Response response = exchange.get(search + "&_summary=count", token);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("search failed: " + response.statusCode() + " " + response.body());
        }
        return Exchange.JSON.readTree(response.body()).get("total").asLong();
    }

    /** Follows next from the first page to the last; checks that every observation came exactly once. */
    static FullRead readAll(Exchange exchange, String token, String first, long expected) throws Exception {
        Set<String> seen = new HashSet<>();
        List<Double> pageMillis = new ArrayList<>();
        String url = first;
        int pages = 0;
        long start = System.nanoTime();
        while (url != null) {
            long pageStart = System.nanoTime();
            Exchange.Response response = exchange.get(url, token);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("page failed: " + response.statusCode() + " " + response.body());
            }
            JsonNode bundle = Exchange.JSON.readTree(response.body());
            pageMillis.add((System.nanoTime() - pageStart) / 1e6);
            pages++;
            for (JsonNode entry : bundle.path("entry")) {
                if (!seen.add(entry.path("resource").path("id").asText())) {
                    throw new IllegalStateException("observation repeated across pages: " + entry.path("fullUrl"));
                }
            }
            url = null;
            for (JsonNode link : bundle.path("link")) {
                if ("next".equals(link.path("relation").asText())) {
                    url = link.path("url").asText();
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (seen.size() != expected) {
            throw new IllegalStateException("read " + seen.size() + " observations, expected " + expected);
        }
        int window = Math.min(10, Math.max(1, (pageMillis.size() - 2) / 2));
        double early = pageMillis.subList(1, 1 + window).stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double deep = pageMillis.subList(pageMillis.size() - 1 - window, pageMillis.size() - 1).stream()
                .mapToDouble(Double::doubleValue).average().orElse(0);
        double[] sorted = pageMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new FullRead(pages, seen.size(), seconds, pageMillis.get(0), early, deep, sorted[sorted.length / 2],
                sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)],
                sorted[sorted.length - 1]);
    }

    static Connection connect() throws SQLException {
        String url = "jdbc:postgresql://" + env("JHE_DB_HOST", "127.0.0.1") + ":" + env("JHE_DB_PORT", "5432") + "/"
                + env("JHE_DB_NAME", "jhe_bench");
        return DriverManager.getConnection(url, env("JHE_DB_ADMIN_USER", "postgres"),
                env("JHE_DB_ADMIN_PASSWORD", "local-trust"));
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /**
     * Heart-rate data points of patients nobody in the demo can see (ids from 900,000), with identifiers like every
     * observation of the demo's Peter gets here: a store large enough that plans made without statistics go wrong.
     */
    static void insertOthers(Connection db, int count) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement("""
                INSERT INTO ingest.observation (subject_patient_id, codeable_concept_id, coding_system, coding_code,
                    data_source_id, status, omh_data, effective_date_time, upload_id, last_updated)
                SELECT 900000 + i % 4000, 50004, 'https://w3id.org/openmhealth', 'omh:heart-rate:2.0', NULL, 'final',
                    o.omh_data, o.effective_date_time, o.upload_id, o.last_updated
                FROM generate_series(1, ?) AS i,
                     LATERAL (SELECT * FROM ingest.observation WHERE upload_id = ? AND subject_patient_id = ?
                              ORDER BY id LIMIT 1) o
                """)) {
            insert.setInt(1, count);
            insert.setObject(2, BENCH_UPLOAD);
            insert.setLong(3, PATIENT);
            insert.executeUpdate();
        }
        try (PreparedStatement identify = db.prepareStatement("""
                INSERT INTO ingest.observation_identifier (observation_id, system, value)
                SELECT id, 'https://bench.example', gen_random_uuid()::text FROM ingest.observation WHERE upload_id = ?
                """)) {
            identify.setObject(1, BENCH_UPLOAD);
            identify.executeUpdate();
        }
    }

    /** The server's autovacuum setting and what the planner knows of the store's tables. */
    static void printStatistics(Connection db) throws SQLException {
        try (PreparedStatement settings = db.prepareStatement(
                "SELECT current_setting('autovacuum'), current_setting('jit')");
                ResultSet row = settings.executeQuery()) {
            row.next();
            System.out.printf("server: autovacuum=%s, jit=%s (the services' connections set jit=off themselves)%n",
                    row.getString(1), row.getString(2));
        }
        try (PreparedStatement tables = db.prepareStatement("""
                SELECT c.relname, c.reltuples::bigint, s.n_live_tup, s.last_analyze, s.last_autoanalyze
                FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid
                WHERE s.schemaname = 'ingest' AND c.relname IN ('observation', 'observation_identifier')
                ORDER BY c.relname
                """); ResultSet rows = tables.executeQuery()) {
            while (rows.next()) {
                System.out.printf("  %-24s planner's row count %s, rows %d, last analyzed %s%n", rows.getString(1),
                        rows.getLong(2) < 0 ? "unknown (never analyzed)" : Long.toString(rows.getLong(2)),
                        rows.getLong(3), rows.getObject(4) != null ? rows.getObject(4)
                                : rows.getObject(5) != null ? rows.getObject(5) + " (autovacuum)" : "never");
            }
        }
    }

    /** Heart-rate data points a minute apart, each updated a millisecond after the previous. */
    static void insert(Connection db, int count) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement("""
                INSERT INTO ingest.observation (subject_patient_id, codeable_concept_id, coding_system, coding_code,
                    data_source_id, status, omh_data, effective_date_time, upload_id, last_updated)
                SELECT ?, 50004, 'https://w3id.org/openmhealth', 'omh:heart-rate:2.0', NULL, 'final',
                    jsonb_build_object(
                        'header', jsonb_build_object('uuid', gen_random_uuid()::text,
                            'schema_id', jsonb_build_object('namespace', 'omh', 'name', 'heart-rate', 'version', '2.0'),
                            'source_creation_date_time', to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                            'modality', 'sensed',
                            'external_datasheets', jsonb_build_array(jsonb_build_object(
                                'datasheet_type', 'manufacturer', 'datasheet_reference', 'CareX'))),
                        'body', jsonb_build_object('heart_rate', jsonb_build_object('value', 55 + (i % 40), 'unit', 'beats/min'),
                            'effective_time_frame', jsonb_build_object('date_time',
                                to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')))),
                    t, ?, clock_timestamp() - (? - i) * interval '1 millisecond'
                FROM generate_series(1, ?) AS i, LATERAL (SELECT now() - (? - i) * interval '1 minute' AS t) times
                """)) {
            insert.setLong(1, PATIENT);
            insert.setObject(2, BENCH_UPLOAD);
            insert.setInt(3, count);
            insert.setInt(4, count);
            insert.setInt(5, count);
            insert.executeUpdate();
        }
    }

    /**
     * The steady state autovacuum reaches shortly after a bulk load: statistics (of the observations, their
     * identifiers and counters) and the visibility map.
     */
    static void analyze(Connection db) throws SQLException {
        try (PreparedStatement analyze = db.prepareStatement(
                "VACUUM ANALYZE ingest.observation, ingest.observation_identifier, ingest.observation_count")) {
            analyze.execute();
        }
    }

    static void remove(Connection db) throws SQLException {
        try (PreparedStatement delete = db.prepareStatement("DELETE FROM ingest.observation WHERE upload_id = ?")) {
            delete.setObject(1, BENCH_UPLOAD);
            delete.executeUpdate();
        }
    }

}
