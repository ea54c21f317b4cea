package org.jupyterhealth.exchange.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bench stack's PostgreSQL ({@code JHE_DB_HOST}, {@code JHE_DB_PORT}, {@code JHE_DB_NAME}, set by
 * {@code ./jhe bench}), reached as its administrator: for what a benchmark writes straight into the store, and for
 * the physical limit of what it measures through the gateway, the statements the service runs for that request
 * executed directly, with no service, HTTP or gateway in between. The machine's speed varies from day to day, so
 * the limit is measured in the same run: the ratio compares the request with its statements on the machine as it is.
 */
final class Postgres {
    private static final Pattern NUMBERED = Pattern.compile("\\$(\\d+)");
    private static final Map<String, Jdbc> JDBC = new ConcurrentHashMap<>();

    /** The statements of one request, on a worker's own session; false when the answer was not the expected one. */
    @FunctionalInterface
    interface Statements {
        boolean run(Connection session) throws SQLException;
    }

    /** Opens a session like the service's. */
    @FunctionalInterface
    interface Sessions {
        Connection open() throws SQLException;
    }

    /** A statement's JDBC text, and for each of its placeholders in turn the number of the value bound to it. */
    private record Jdbc(String sql, int[] values) {
    }

    private Postgres() {
    }

    /** A plain connection as the administrator. */
    static Connection connect() throws SQLException {
        return connect(new Properties());
    }

    /**
     * A connection set up as a service's pool sets up its own: the service's schema on the search path, the session
     * settings its pool gives ({@code settings}, as {@code name=value}), and every statement prepared on the server
     * from its first execution and kept for the next (the services' reactive clients prepare and cache every
     * statement), so that the limit is the execution of a prepared statement, as in the service.
     */
    static Connection session(String schema, String... settings) throws SQLException {
        StringBuilder options = new StringBuilder("-c search_path=").append(schema);
        for (String setting : settings) {
            options.append(" -c ").append(setting);
        }
        Properties properties = new Properties();
        properties.setProperty("options", options.toString());
        properties.setProperty("prepareThreshold", "1");
        return connect(properties);
    }

    private static Connection connect(Properties properties) throws SQLException {
        String url = "jdbc:postgresql://" + env("JHE_DB_HOST", "127.0.0.1") + ":" + env("JHE_DB_PORT", "5432") + "/"
                + env("JHE_DB_NAME", "jhe_bench");
        properties.setProperty("user", env("JHE_DB_ADMIN_USER", "postgres"));
        properties.setProperty("password", env("JHE_DB_ADMIN_PASSWORD", "local-trust"));
        return DriverManager.getConnection(url, properties);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /**
     * A request's statements under closed-loop load, as {@link LoadRunner} runs requests through the gateway: each
     * of {@code concurrency} workers on a session of its own, one statement after another.
     */
    static LoadRunner.Result run(String name, int concurrency, Duration warmup, Duration measured, Sessions sessions,
            Statements statements) throws SQLException, InterruptedException {
        List<Connection> open = new ArrayList<>(concurrency);
        try {
            for (int w = 0; w < concurrency; w++) {
                open.add(sessions.open());
            }
            return LoadRunner.run(name, concurrency, warmup, measured, worker -> statements.run(open.get(worker)));
        } finally {
            for (Connection session : open) {
                session.close();
            }
        }
    }

    /**
     * A service's statement, as its code writes it (with the reactive client's numbered placeholders, {@code $1},
     * {@code $2}, ...), prepared on this session with {@code values} bound ({@code $n} to the n-th; arrays as
     * PostgreSQL arrays). JDBC numbers its placeholders by their order, so each {@code $n} becomes one of them,
     * bound to the same value: a value that appears twice is bound twice.
     */
    static PreparedStatement prepare(Connection session, String sql, Object... values) throws SQLException {
        Jdbc jdbc = JDBC.computeIfAbsent(sql, text -> {
            Matcher placeholder = NUMBERED.matcher(text);
            List<Integer> order = new ArrayList<>();
            StringBuilder rewritten = new StringBuilder();
            while (placeholder.find()) {
                order.add(Integer.parseInt(placeholder.group(1)));
                placeholder.appendReplacement(rewritten, "?");
            }
            placeholder.appendTail(rewritten);
            return new Jdbc(rewritten.toString(), order.stream().mapToInt(Integer::intValue).toArray());
        });
        PreparedStatement statement = session.prepareStatement(jdbc.sql());
        for (int i = 0; i < jdbc.values().length; i++) {
            Object value = values[jdbc.values()[i] - 1];
            if (value instanceof Object[] array) {
                String type = array instanceof Long[] ? "int8" : array instanceof Integer[] ? "int4" : "text";
                statement.setArray(i + 1, session.createArrayOf(type, array));
            } else {
                statement.setObject(i + 1, value);
            }
        }
        return statement;
    }

    /** Reads every value of every row, as the service's client decodes them all; returns the number of rows. */
    static int consume(ResultSet rows) throws SQLException {
        int columns = rows.getMetaData().getColumnCount();
        int count = 0;
        while (rows.next()) {
            for (int c = 1; c <= columns; c++) {
                rows.getString(c);
            }
            count++;
        }
        return count;
    }

    /** What share of its statements' own rate a request reached through the gateway, beside the target. */
    static void printShare(String what, LoadRunner.Result throughGateway, LoadRunner.Result alone) {
        System.out.printf("%s through the gateway / its statements alone: %.0f%% (target >= 40%%)%n", what,
                100 * throughGateway.throughput() / alone.throughput());
    }
}
