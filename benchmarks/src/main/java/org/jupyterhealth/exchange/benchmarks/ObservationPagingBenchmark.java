package org.jupyterhealth.exchange.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.ToDoubleFunction;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reading one patient's 10,000 observations in full through the gateway, as a researcher's notebook does: the
 * FHIR Observation search of patient 40001 (the demo's Peter) by manager Mary, following {@code next} links at
 * {@code _count=20}, {@code 100} and {@code 1000}, once the search's load has warmed the services up. Then the first
 * page of that search under 32 concurrent clients.
 * The observations are inserted straight into the observation store (as ingest-service stores them) and removed
 * afterwards. Beside each, in the same run, its physical limit: the statements fhir-service runs for the same pages
 * ({@link PageStatements}), executed directly on PostgreSQL, one after another for a full read and on 32 sessions for
 * the search, so that a slow day on the machine shows in both; and the same full reads from fhir-service directly,
 * which tells the gateway's hop from fhir-service's own time.
 *
 * <p>Targets: a full read in at most 1.5 s at {@code _count=20} and 0.5 s at {@code _count=1000}; the last
 * page within 1.5 times the first; search p99 at most 25 ms with 32 concurrent clients; a page through the gateway
 * within 3 times its statement alone, and the search's throughput at least 40% of its statement's on 32 sessions.
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
        // the same pages without the gateway's hop
        Exchange fhirService = exchange.service(Exchange.FHIR_SERVICE);
        String token = exchange.passwordToken("manager_mary@example.com");

        try (Connection db = Postgres.connect()) {
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
                PageStatements statements = PageStatements.of(db, "manager_mary@example.com", PATIENT);
                LoadRunner.Operation firstPage = worker -> exchange.get(search + "&_count=20", token)
                        .statusCode() == 200;
                // the search's load first, not recorded, until a freshly started fhir-service and the gateway have
                // compiled their hot paths (a next page runs the same code as the first): a notebook reads from a
                // running exchange, and a few reads alone leave the pages' code to the interpreter and C1
                LoadRunner.warmUp("search", 32, Duration.ofSeconds(10), Duration.ofSeconds(120), firstPage);
                for (int warm = 0; warm < 3; warm++) {
                    readAll(exchange, token, search + "&_count=100", expected);
                    readAll(fhirService, token, search + "&_count=100", expected);
                }
                try (Connection session = PageStatements.session()) {
                    for (int warm = 0; warm < 3; warm++) {
                        statements.readAll(session, 100, expected);
                    }
                    System.out.println();
                    System.out.println("full read by following next (median of " + runs + " runs), and the same "
                            + "pages' statements alone (fhir-service's, on one session, one after another):");
                    for (int count : new int[] { 20, 100, 1000 }) {
                        List<FullRead> reads = new ArrayList<>();
                        List<FullRead> direct = new ArrayList<>();
                        List<FullRead> alone = new ArrayList<>();
                        for (int run = 0; run < runs; run++) {
                            reads.add(readAll(exchange, token, search + "&_count=" + count, expected));
                            direct.add(readAll(fhirService, token, search + "&_count=" + count, expected));
                        }
                        for (int run = 0; run < runs; run++) {
                            alone.add(statements.readAll(session, count, expected));
                        }
                        print(count, FullRead.median(reads), FullRead.median(direct), FullRead.median(alone));
                    }
                }
                System.out.println();
                LoadRunner.Result result = LoadRunner.run("Observation search, first page (_count=20)", 32,
                        Duration.ofSeconds(5), Duration.ofSeconds(20), firstPage);
                System.out.println(result.summary() + "   (target p99 <= 25 ms)");
                LoadRunner.Result alone = Postgres.run("its statement alone, 32 sessions", 32, Duration.ofSeconds(5),
                        Duration.ofSeconds(20), PageStatements::session,
                        session -> statements.firstPage(session, 20, expected));
                System.out.println(alone.summary());
                Postgres.printShare("first page:", result, alone);
                LoadRunner.Result pages = LoadRunner.run("Observation search, first page, _total=none", 32,
                        Duration.ofSeconds(5), Duration.ofSeconds(20), worker -> {
                            Exchange.Response response = exchange.get(search + "&_count=20&_total=none", token);
                            return response.statusCode() == 200;
                        });
                System.out.println(pages.summary());
                // audit on and off alternately, each on a freshly started fhir-service warmed up the same way: the
                // runs above leave fhir-service compiled for other paths and its heap filled by them, which moved the
                // p99 of a run after them by more than the margin measured
                AuditSwitch.alternate("search", 2, null, audit -> {
                    String state = audit ? "audit on" : "audit off";
                    LoadRunner.warmUp("search, " + state, 32, Duration.ofSeconds(10), Duration.ofSeconds(120),
                            firstPage);
                    return LoadRunner.run("Observation search, first page (_count=20), " + state, 32,
                            Duration.ofSeconds(5), Duration.ofSeconds(20), firstPage);
                });
            } finally {
                remove(db);
            }
        }
    }

    /**
     * One page size's line: the read through the gateway, the same read from fhir-service directly, and the same
     * pages' statements alone.
     */
    static void print(int count, FullRead median, FullRead direct, FullRead alone) {
        String target = count == 20 ? "  (target <= 1.5 s)" : count == 1000 ? "  (target <= 0.5 s)" : "";
        System.out.printf("  _count=%-5d %4d pages  %6d observations  %7.3f s%s%n      first page (with total) %7.2f "
                + "ms; full pages early %7.2f ms, deep %7.2f ms: deep/early %.2f, deep/first %.2f (target <= 1.5)%n",
                count, median.pages(), median.observations(), median.seconds(), target, median.firstMillis(),
                median.earlyMillis(), median.deepMillis(), median.deepMillis() / median.earlyMillis(),
                median.deepMillis() / median.firstMillis());
        System.out.printf("      every page of the median read: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                median.p50Millis(), median.p99Millis(), median.maxMillis());
        System.out.printf("      from fhir-service directly: %7.3f s; every page p50 %.2f ms, p99 %.2f ms "
                + "(the gateway's hop: %.0f%% of the read)%n", direct.seconds(), direct.p50Millis(), direct.p99Millis(),
                100 * (median.seconds() - direct.seconds()) / median.seconds());
        System.out.printf("      statements alone: %7.3f s; first page %.2f ms, every page p50 %.2f ms, p99 %.2f ms%n",
                alone.seconds(), alone.firstMillis(), alone.p50Millis(), alone.p99Millis());
        System.out.printf("      a page through the gateway / its statement alone: %.1f× (target <= 3×)%n",
                median.seconds() / alone.seconds());
    }

    /**
     * One full read: the first page (which also counts the total), and the mean of the ten full pages after it and
     * of the ten full pages before the last (partial) page, to compare a page's cost early and deep in the read.
     */
    record FullRead(int pages, int observations, double seconds, double firstMillis, double earlyMillis,
            double deepMillis, double p50Millis, double p99Millis, double maxMillis) {

        /** A read of {@code observations} in pages that took {@code pageMillis}, in {@code seconds} in all. */
        static FullRead of(List<Double> pageMillis, int observations, double seconds) {
            int window = Math.min(10, Math.max(1, (pageMillis.size() - 2) / 2));
            double early = pageMillis.subList(1, 1 + window).stream().mapToDouble(Double::doubleValue).average()
                    .orElse(0);
            double deep = pageMillis.subList(pageMillis.size() - 1 - window, pageMillis.size() - 1).stream()
                    .mapToDouble(Double::doubleValue).average().orElse(0);
            double[] sorted = pageMillis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return new FullRead(pageMillis.size(), observations, seconds, pageMillis.get(0), early, deep,
                    sorted[sorted.length / 2],
                    sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)],
                    sorted[sorted.length - 1]);
        }

        /** The read of median duration, with the medians of the runs' first, early and deep page times. */
        static FullRead median(List<FullRead> reads) {
            List<FullRead> sorted = new ArrayList<>(reads);
            sorted.sort((a, b) -> Double.compare(a.seconds(), b.seconds()));
            FullRead median = sorted.get(sorted.size() / 2);
            return new FullRead(median.pages(), median.observations(), median.seconds(),
                    median(reads, FullRead::firstMillis), median(reads, FullRead::earlyMillis),
                    median(reads, FullRead::deepMillis), median.p50Millis(), median.p99Millis(), median.maxMillis());
        }

        private static double median(List<FullRead> reads, ToDoubleFunction<FullRead> value) {
            return reads.stream().mapToDouble(value).sorted().toArray()[reads.size() / 2];
        }
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
        long start = System.nanoTime();
        while (url != null) {
            long pageStart = System.nanoTime();
            Exchange.Response response = exchange.get(url, token);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("page failed: " + response.statusCode() + " " + response.body());
            }
            JsonNode bundle = Exchange.JSON.readTree(response.body());
            pageMillis.add((System.nanoTime() - pageStart) / 1e6);
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
        return FullRead.of(pageMillis, seen.size(), seconds);
    }

    /**
     * The physical limit of a page: the statement fhir-service runs for it (ObservationRepository's, for a search
     * with no filter in the default order, newest first), with the parameters it binds: the caller's grants
     * (patients and their readable codes, as admin-service answers them), the snapshot of the first page, and
     * for every next page the keyset its {@code next} link carries (the last row's {@code last_updated} and id).
     * Each page reads one row more than it shows, to know whether another follows, as fhir-service does; the first
     * page also counts the total. That statement is the only one fhir-service runs per page: the grants and the
     * patients' records come from admin-service, and fhir-service keeps them a second and a few seconds.
     */
    static final class PageStatements {
        private static final String COLUMNS = "o.id, o.subject_patient_id, o.codeable_concept_id, o.coding_system, "
                + "o.coding_code, o.data_source_id, o.status, o.omh_data::text AS omh, o.effective_date_time, "
                + "o.effective_period_start, o.effective_period_end, o.effective_at, o.last_updated";
        private static final String GRANTS = "WITH gp(pid, grp) AS (SELECT * FROM unnest($1::bigint[], $2::int[])), "
                + "gc(grp, sys, code) AS (SELECT * FROM unnest($3::int[], $4::text[], $5::text[])) ";
        private static final String ORDER = "o.last_updated DESC, o.id DESC";
        private static final int LAST_UPDATED = 13;

        /** The grants, flattened as fhir-service binds them: one patient, one set of codes (numbered 0). */
        private final long patient;
        private final Integer[] codeSets;
        private final String[] systems;
        private final String[] codes;

        private PageStatements(long patient, String[] systems, String[] codes) {
            this.patient = patient;
            this.codeSets = new Integer[codes.length];
            Arrays.fill(codeSets, 0);
            this.systems = systems;
            this.codes = codes;
        }

        /**
         * The grants admin-service gives the practitioner for this patient: the codes the patient consented to in
         * the studies of the organizations they share. Checked against the search's total by every read.
         */
        static PageStatements of(Connection db, String practitionerEmail, long patient) throws SQLException {
            List<String> systems = new ArrayList<>();
            List<String> codes = new ArrayList<>();
            try (PreparedStatement granted = db.prepareStatement("""
                    SELECT DISTINCT c.coding_system, c.coding_code FROM admin.study_patient sp
                    JOIN admin.study s ON s.id = sp.study_id
                    JOIN admin.study_patient_scope_consent k ON k.study_patient_id = sp.id AND k.consented
                    JOIN admin.codeable_concept c ON c.id = k.scope_code_id
                    JOIN admin.practitioner_organization m ON m.organization_id = s.organization_id
                    JOIN admin.practitioner pr ON pr.id = m.practitioner_id
                    JOIN admin.account a ON a.id = pr.jhe_user_id
                    WHERE a.email = ? AND sp.patient_id = ? AND EXISTS (SELECT 1 FROM admin.patient_organization pa
                        WHERE pa.patient_id = sp.patient_id AND pa.organization_id = s.organization_id)
                    ORDER BY 1, 2
                    """)) {
                granted.setString(1, practitionerEmail);
                granted.setLong(2, patient);
                try (ResultSet rows = granted.executeQuery()) {
                    while (rows.next()) {
                        systems.add(rows.getString(1));
                        codes.add(rows.getString(2));
                    }
                }
            }
            return new PageStatements(patient, systems.toArray(String[]::new), codes.toArray(String[]::new));
        }

        /** A session as fhir-service's pool opens one (its generic plans, no JIT compilation). */
        static Connection session() throws SQLException {
            return Postgres.session("fhir", "plan_cache_mode=force_generic_plan", "jit=off");
        }

        /** A page's rows, newest first: the first page, or ({@code resume}) those after a keyset. */
        private static String page(int limit, boolean resume) {
            return "SELECT p.*, (SELECT json_agg(json_build_array(i.system, i.value) ORDER BY i.system, i.value) "
                    + "FROM ingest.observation_identifier i WHERE i.observation_id = p.id)::text AS identifiers FROM ("
                    + "SELECT o.* FROM gp CROSS JOIN LATERAL (SELECT " + COLUMNS + " FROM ingest.observation o "
                    + "WHERE o.subject_patient_id = gp.pid AND EXISTS (SELECT 1 FROM gc WHERE gc.grp = gp.grp "
                    + "AND gc.sys = o.coding_system AND gc.code = o.coding_code OFFSET 0) AND o.last_updated <= $6"
                    + (resume ? " AND (o.last_updated, o.id) < ($7, $8)" : "") + " ORDER BY " + ORDER + " LIMIT "
                    + limit + ") o ORDER BY " + ORDER + " LIMIT " + limit + " OFFSET 0) p ORDER BY "
                    + ORDER.replace("o.", "p.");
        }

        /** The first page and the total (from the counters kept per patient and code), in one statement. */
        private static String firstPageWithTotal(int limit) {
            return GRANTS + ", counted(total) AS (SELECT COALESCE(sum((SELECT c.observations FROM "
                    + "ingest.observation_count c WHERE c.subject_patient_id = gp.pid AND c.coding_system = gc.sys "
                    + "AND c.coding_code = gc.code)), 0)::bigint FROM gp JOIN gc ON gc.grp = gp.grp) SELECT paged.*, "
                    + "counted.total FROM counted LEFT JOIN (" + page(limit, false) + ") paged ON TRUE ORDER BY "
                    + ORDER.replace("o.", "paged.");
        }

        /** The page's statement, with the grants, the snapshot and (for a next page) the keyset bound. */
        private PreparedStatement prepare(Connection session, String sql, Object... snapshotAndKeyset)
                throws SQLException {
            Object[] values = new Object[5 + snapshotAndKeyset.length];
            values[0] = new Long[] { patient };
            values[1] = new Integer[] { 0 };
            values[2] = codeSets;
            values[3] = systems;
            values[4] = codes;
            System.arraycopy(snapshotAndKeyset, 0, values, 5, snapshotAndKeyset.length);
            return Postgres.prepare(session, sql, values);
        }

        /** The first page of a search as fhir-service reads it; true if it has the page's rows and the total. */
        boolean firstPage(Connection session, int count, long expected) throws SQLException {
            try (PreparedStatement first = prepare(session, firstPageWithTotal(count + 1), now());
                    ResultSet rows = first.executeQuery()) {
                int read = 0;
                long total = -1;
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    total = rows.getLong(columns);
                    if (rows.getObject(1) != null) {
                        for (int c = 1; c < columns; c++) {
                            rows.getString(c);
                        }
                        read++;
                    }
                }
                return total == expected && read == Math.min(count + 1, expected);
            }
        }

        /**
         * Every page, one statement after another on one session, as fhir-service runs them for a client following
         * next; checks that every observation came exactly once and that they are the search's.
         */
        FullRead readAll(Connection session, int count, long expected) throws SQLException {
            Set<Long> seen = new HashSet<>();
            List<Double> pageMillis = new ArrayList<>();
            OffsetDateTime snapshot = now();
            OffsetDateTime anchorTime = null;
            long anchorId = 0;
            long total = -1;
            boolean more = true;
            long start = System.nanoTime();
            while (more) {
                long pageStart = System.nanoTime();
                boolean first = anchorTime == null;
                try (PreparedStatement page = first ? prepare(session, firstPageWithTotal(count + 1), snapshot)
                        : prepare(session, GRANTS + page(count + 1, true), snapshot, anchorTime, anchorId)) {
                    try (ResultSet rows = page.executeQuery()) {
                        int columns = rows.getMetaData().getColumnCount();
                        int read = 0;
                        while (rows.next()) {
                            if (first) {
                                total = rows.getLong(columns);
                            }
                            if (rows.getObject(1) == null) {
                                continue; // the total's row of an empty page
                            }
                            for (int c = 1; c <= columns; c++) {
                                rows.getString(c);
                            }
                            if (++read <= count) {
                                anchorId = rows.getLong(1);
                                anchorTime = rows.getObject(LAST_UPDATED, OffsetDateTime.class);
                                if (!seen.add(anchorId)) {
                                    throw new IllegalStateException("observation repeated across pages: " + anchorId);
                                }
                            }
                        }
                        more = read > count;
                    }
                }
                pageMillis.add((System.nanoTime() - pageStart) / 1e6);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (seen.size() != expected || total != expected) {
                throw new IllegalStateException("the statements alone read " + seen.size() + " observations of a total "
                        + "of " + total + ", the search through the gateway " + expected + ": not the same grants");
            }
            return FullRead.of(pageMillis, seen.size(), seconds);
        }

        /** A first page's snapshot, as fhir-service takes it (microseconds, as PostgreSQL keeps them). */
        private static OffsetDateTime now() {
            return Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
        }
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
        // the plots' quantities, kept beside the observations: without the rows earlier runs removed, but without
        // statistics either, as a plot's statement must not need them
        try (PreparedStatement vacuum = db.prepareStatement("VACUUM ingest.observation_point")) {
            vacuum.execute();
        }
    }

    static void remove(Connection db) throws SQLException {
        try (PreparedStatement delete = db.prepareStatement("DELETE FROM ingest.observation WHERE upload_id = ?")) {
            delete.setObject(1, BENCH_UPLOAD);
            delete.executeUpdate();
        }
    }

}
