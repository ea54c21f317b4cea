package org.jupyterhealth.exchange.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

/**
 * {@code GET /api/v1/patients?organization_id=…} on an organization of 10,000 patients, 16 concurrent clients
 * through the gateway, as a manager of that organization. Measures the first and the last 20-item page.
 * Targets: p99 ≤ 30 ms, and the last page no slower than 1.5× the first.
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
        // warm-up of every JVM on the path (gateway, admin-service) with both pages, not recorded
        LoadRunner.run("warm-up", concurrency, Duration.ZERO, Duration.ofSeconds(20),
                worker -> exchange.get(worker % 2 == 0 ? first : last, token).statusCode() == 200);
        LoadRunner.Result firstPage = run(exchange, token, "first page (page 1)", first, concurrency, seconds);
        LoadRunner.Result lastPageResult = run(exchange, token, "last page (page=" + lastPage + ")", last,
                concurrency, seconds);
        LoadRunner.Result offsetPage = run(exchange, token, "last page (limit/offset)", lastByOffset, concurrency,
                seconds);
        // the list is read from whichever end of the index is nearer: the middle page skips the most rows
        LoadRunner.Result middlePage = run(exchange, token, "middle page (page=" + (lastPage + 1) / 2 + ")",
                first + "&page=" + (lastPage + 1) / 2, concurrency, seconds);
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
    }

    private static LoadRunner.Result run(Exchange exchange, String token, String name, String path, int concurrency,
            int seconds) throws InterruptedException {
        return LoadRunner.run(name, concurrency, Duration.ofSeconds(10), Duration.ofSeconds(seconds),
                worker -> exchange.get(path, token).statusCode() == 200);
    }

    /** The benchmark organization below Lifespan Lab, Mary as its manager, and its patients; returns its id. */
    static long seed(int patients) throws Exception {
        String url = "jdbc:postgresql://" + System.getenv().getOrDefault("JHE_DB_HOST", "127.0.0.1") + ":"
                + System.getenv().getOrDefault("JHE_DB_PORT", "5432") + "/"
                + System.getenv().getOrDefault("JHE_DB_NAME", "jhe_bench");
        try (Connection db = DriverManager.getConnection(url, "postgres", null)) {
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
}
