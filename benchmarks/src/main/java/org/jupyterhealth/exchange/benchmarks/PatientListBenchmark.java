package org.jupyterhealth.exchange.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * {@code GET /api/v1/patients?organization_id=…} on an organization of 10,000 patients, 16 concurrent clients
 * through the gateway, as a manager of that organization. Measures the first and the last 20-item page, and
 * beside them, in the same run, their physical limit: the statements admin-service runs for each
 * ({@link ListStatements}), executed directly on PostgreSQL on 16 sessions.
 * Targets: p99 ≤ 30 ms, the last page no slower than 1.5× the first, and each page's throughput through the
 * gateway at least 40% of its statements' alone.
 *
 * <pre>./jhe bench PatientListBenchmark [patients] [concurrency] [seconds]</pre>
 *
 * The organization and its patients are written straight into the bench stack's database (schema {@code admin}),
 * once: a bulk load through the API would measure the load, not the list.
 */
public final class PatientListBenchmark {
    private static final String ORGANIZATION = "Benchmark Clinic (10k patients)";

    private PatientListBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int patients = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        long organization = seed(patients);
        Exchange exchange = new Exchange();
        String token = exchange.passwordToken("manager_mary@example.com");
        int pageSize = 20;
        long lastPage = (patients + pageSize - 1) / pageSize;
        String first = "/api/v1/patients?organization_id=" + organization;
        String last = first + "&page=" + lastPage;
        String lastByOffset = first + "&limit=" + pageSize + "&offset=" + (lastPage - 1) * pageSize;

        Exchange.Response check = exchange.get(first, token);
        if (check.statusCode() != 200 || !check.body().contains("\"count\":" + patients)) {
            throw new IllegalStateException("unexpected answer: " + check.statusCode() + " "
                    + check.body().substring(0, Math.min(300, check.body().length())));
        }

        System.out.printf("organization %d with %d patients, %d concurrent clients, %d s per run%n", organization,
                patients, concurrency, seconds);
        String middle = first + "&page=" + (lastPage + 1) / 2;
        List<String> pages = List.of(first, last, lastByOffset, middle);
        // every page measured below, not recorded, until a freshly started gateway and admin-service have compiled
        // their hot paths (a fixed 20 s left the first measured pass slower than the later ones)
        LoadRunner.warmUp("patient list", concurrency, Duration.ofSeconds(10), Duration.ofSeconds(120),
                worker -> exchange.get(pages.get(worker % pages.size()), token).statusCode() == 200);
        LoadRunner.Result firstPage = run(exchange, token, "first page (page 1)", first, concurrency, seconds);
        LoadRunner.Result lastPageResult = run(exchange, token, "last page (page=" + lastPage + ")", last,
                concurrency, seconds);
        LoadRunner.Result offsetPage = run(exchange, token, "last page (limit/offset)", lastByOffset, concurrency,
                seconds);
        // the list is read from whichever end of the index is nearer: the middle page skips the most rows
        LoadRunner.Result middlePage = run(exchange, token, "middle page (page=" + (lastPage + 1) / 2 + ")",
                middle, concurrency, seconds);
        for (LoadRunner.Result result : new LoadRunner.Result[] { firstPage, lastPageResult, offsetPage,
                middlePage }) {
            System.out.println(result.summary());
        }
        double ratio = lastPageResult.percentileMillis(99) / firstPage.percentileMillis(99);
        boolean p99Ok = firstPage.percentileMillis(99) <= 30 && lastPageResult.percentileMillis(99) <= 30;
        System.out.printf("p99 first %.2f ms, last %.2f ms (target ≤ 30 ms): %s%n", firstPage.percentileMillis(99),
                lastPageResult.percentileMillis(99), p99Ok ? "met" : "NOT met");
        System.out.printf("last/first p99 ratio %.2f (target ≤ 1.5): %s; middle/first %.2f%n", ratio,
                ratio <= 1.5 ? "met" : "NOT met", middlePage.percentileMillis(99) / firstPage.percentileMillis(99));

        ListStatements statements = ListStatements.of("manager_mary@example.com", organization, patients);
        LoadRunner.Result firstAlone = statements.run("first page, statements alone", 0, concurrency, seconds);
        LoadRunner.Result lastAlone = statements.run("last page, statements alone", (lastPage - 1) * pageSize,
                concurrency, seconds);
        System.out.println(firstAlone.summary());
        System.out.println(lastAlone.summary());
        Postgres.printShare("first page:", firstPage, firstAlone);
        Postgres.printShare("last page: ", lastPageResult, lastAlone);
    }

    private static LoadRunner.Result run(Exchange exchange, String token, String name, String path, int concurrency,
            int seconds) throws InterruptedException {
        return LoadRunner.run(name, concurrency, Duration.ofSeconds(10), Duration.ofSeconds(seconds),
                worker -> exchange.get(path, token).statusCode() == 200);
    }

    /** The benchmark organization below Lifespan Lab, Mary as its manager, and its patients; returns its id. */
    static long seed(int patients) throws Exception {
        try (Connection db = Postgres.connect()) {
            db.setAutoCommit(false);
            try (PreparedStatement find = db.prepareStatement("SELECT id FROM admin.organization WHERE name = ?")) {
                find.setString(1, ORGANIZATION);
                try (ResultSet rows = find.executeQuery()) {
                    if (rows.next()) {
                        return rows.getLong(1);
                    }
                }
            }
            long organization;
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO admin.organization (name, type, part_of) "
                    + "VALUES (?, 'laboratory', 20003) RETURNING id")) {
                insert.setString(1, ORGANIZATION);
                try (ResultSet rows = insert.executeQuery()) {
                    rows.next();
                    organization = rows.getLong(1);
                }
            }
            try (Statement sql = db.createStatement()) {
                sql.execute("INSERT INTO admin.practitioner_organization (practitioner_id, organization_id, role) "
                        + "VALUES (80001, " + organization + ", 'manager')");
                // accounts far above identity-service's ids: the read model only needs their e-mails
                sql.execute("INSERT INTO admin.account (id, email, first_name, last_name, user_type) "
                        + "SELECT 5000000 + g, 'bench-patient-' || g || '@example.org', 'Bench', 'Patient ' || g, "
                        + "'patient' FROM generate_series(1, " + patients + ") g");
                sql.execute("INSERT INTO admin.patient (jhe_user_id, name_family, name_given, birth_date, telecom_phone) "
                        + "SELECT 5000000 + g, 'Patient ' || g, 'Bench', DATE '1980-01-01' + (g % 9000), "
                        + "'+1-555-' || lpad(g::text, 7, '0') FROM generate_series(1, " + patients + ") g");
                sql.execute("INSERT INTO admin.patient_organization (patient_id, organization_id) "
                        + "SELECT p.id, " + organization + " FROM admin.patient p WHERE p.jhe_user_id > 5000000");
                sql.execute("INSERT INTO admin.patient_identifier (patient_id, system, value) "
                        + "SELECT p.id, 'urn:bench:mrn', 'MRN-' || p.id FROM admin.patient p WHERE p.jhe_user_id > 5000000");
            }
            db.commit();
            // as autovacuum would soon: statistics, and the visibility map that index-only scans rely on
            db.setAutoCommit(true);
            try (Statement sql = db.createStatement()) {
                for (String table : new String[] { "patient", "patient_organization", "account",
                        "patient_identifier" }) {
                    sql.execute("VACUUM ANALYZE admin." + table);
                }
            }
            return organization;
        }
    }

    /**
     * The physical limit of a list page: the statements admin-service runs for {@code GET /api/v1/patients?
     * organization_id=…&page=N} (a page by its number, so no count first), as its code writes them and with the
     * values it binds, one after another on a session of its own: the caller's records
     * ({@code CallerRepository.findRecords}), the remembered selection ({@code PatientRepository.rememberSelection},
     * which changes nothing once remembered), and the page with its total and the caller's membership check
     * ({@code PatientRepository.pageShared}, an organization's list of 20). admin-service runs the last two side by
     * side on two connections.
     */
    static final class ListStatements {
        private static final int SIZE = 20;
        private static final String RECORDS = "SELECT (SELECT id FROM practitioner WHERE jhe_user_id = $1) AS "
                + "practitioner_id, (SELECT id FROM patient WHERE jhe_user_id = $1) AS patient_id";
        private static final String SELECTION = "(CASE WHEN EXISTS (SELECT 1 FROM practitioner_organization m "
                + "WHERE m.practitioner_id = $1 AND m.organization_id = $2) THEN jsonb_set(settings, "
                + "'{currentOrganizationId}', to_jsonb($2::bigint)) ELSE settings END - 'currentStudyId')";
        private static final String REMEMBER = "UPDATE practitioner SET settings = " + SELECTION + " WHERE id = $1 "
                + "AND settings IS DISTINCT FROM " + SELECTION + " AND ($2::bigint IS NULL OR TRUE) "
                + "AND ($3::bigint IS NULL OR TRUE)";
        /** The members of organization $2 if practitioner $1 is one too; the page starts at $3. */
        private static final String IDS = "SELECT pa.patient_id FROM patient_organization pa WHERE pa.organization_id "
                + "= $2 AND EXISTS (SELECT 1 FROM practitioner_organization m WHERE m.practitioner_id = $1 AND "
                + "m.organization_id = $2)";
        private static final String COUNTER = "(SELECT c.patients FROM organization_patient_count c WHERE "
                + "c.organization_id = $2)";
        private static final String PAGE = "WITH page AS ((" + IDS + " AND $3 <= " + COUNTER + " / 2 ORDER BY "
                + "pa.patient_id OFFSET $3 LIMIT " + SIZE + ") UNION ALL (" + IDS + " AND $3 > " + COUNTER + " / 2 "
                + "ORDER BY pa.patient_id DESC OFFSET greatest(" + COUNTER + " - $3 - " + SIZE + ", 0) LIMIT " + SIZE
                + ")) SELECT CASE WHEN EXISTS (SELECT 1 FROM practitioner_organization m WHERE m.practitioner_id = $1 "
                + "AND m.organization_id = $2) THEN coalesce(" + COUNTER + ", 0) ELSE 0 END AS total, p.id, "
                + "p.jhe_user_id, p.name_family, p.name_given, p.birth_date, p.telecom_phone, a.email, "
                + "(SELECT coalesce(json_agg(json_build_object('id', i.id, 'system', i.system, 'value', i.value) "
                + "ORDER BY i.id), '[]'::json) FROM patient_identifier i WHERE i.patient_id = p.id) AS identifiers, "
                + "(SELECT coalesce(json_agg(json_build_object('id', o.id, 'name', o.name, 'type', o.type, 'partOf', "
                + "o.part_of) ORDER BY po.id), '[]'::json) FROM patient_organization po JOIN organization o ON o.id = "
                + "po.organization_id WHERE po.patient_id = p.id) AS organizations FROM page JOIN patient p ON p.id = "
                + "page.patient_id LEFT JOIN account a ON a.id = p.jhe_user_id ORDER BY p.id OFFSET CASE WHEN $3 > "
                + COUNTER + " / 2 THEN greatest(least(" + SIZE + ", " + COUNTER + ") - (" + COUNTER + " - $3), 0) "
                + "ELSE 0 END";

        private final long user;
        private final long practitioner;
        private final long organization;
        private final long patients;

        private ListStatements(long user, long practitioner, long organization, long patients) {
            this.user = user;
            this.practitioner = practitioner;
            this.organization = organization;
            this.patients = patients;
        }

        /** The statements as admin-service runs them for this practitioner's list of this organization. */
        static ListStatements of(String email, long organization, long patients) throws SQLException {
            try (Connection db = Postgres.connect(); PreparedStatement find = db.prepareStatement(
                    "SELECT a.id, p.id FROM admin.account a JOIN admin.practitioner p ON p.jhe_user_id = a.id "
                            + "WHERE a.email = ?")) {
                find.setString(1, email);
                try (ResultSet rows = find.executeQuery()) {
                    rows.next();
                    return new ListStatements(rows.getLong(1), rows.getLong(2), organization, patients);
                }
            }
        }

        /** The page from {@code offset} under load, as a pass through the gateway runs (10 s not recorded). */
        LoadRunner.Result run(String name, long offset, int concurrency, int seconds)
                throws SQLException, InterruptedException {
            long rows = Math.min(SIZE, patients - offset);
            return Postgres.run(name, concurrency, Duration.ofSeconds(10), Duration.ofSeconds(seconds),
                    () -> Postgres.session("admin", "jit=off"), session -> page(session, offset) == rows);
        }

        /** A request's statements; the number of patients on the page, or -1 if its total was not the list's. */
        private long page(Connection session, long offset) throws SQLException {
            try (PreparedStatement records = Postgres.prepare(session, RECORDS, user);
                    ResultSet row = records.executeQuery()) {
                Postgres.consume(row);
            }
            try (PreparedStatement remember = Postgres.prepare(session, REMEMBER, practitioner, organization, null)) {
                remember.executeUpdate();
            }
            try (PreparedStatement page = Postgres.prepare(session, PAGE, practitioner, organization, offset);
                    ResultSet rows = page.executeQuery()) {
                long read = 0;
                boolean counted = true;
                while (rows.next()) {
                    counted &= rows.getLong(1) == patients;
                    for (int c = 2; c <= 10; c++) {
                        rows.getString(c);
                    }
                    read++;
                }
                return counted ? read : -1;
            }
        }
    }
}
