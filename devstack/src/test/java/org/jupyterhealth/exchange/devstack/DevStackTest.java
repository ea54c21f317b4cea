package org.jupyterhealth.exchange.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

class DevStackTest {

    @Test
    void warnsWhenNothingKeepsThePlannersStatisticsUpToDate() {
        assertThat(DevStack.statisticsWarnings("off", "on")).hasSize(2)
                .satisfies(lines -> assertThat(lines.get(0)).startsWith("warning: autovacuum is off"))
                .satisfies(lines -> assertThat(lines.get(1)).startsWith("hint: ").contains("autovacuum = on"));
        assertThat(DevStack.statisticsWarnings("on", "off")).hasSize(2);
    }

    @Test
    void saysNothingWhenAutovacuumRuns() {
        assertThat(DevStack.statisticsWarnings("on", "on")).isEmpty();
    }

    /** Against the server the tests use ({@code ./jhe test}): the warning follows what the server reports. */
    @Test
    void creatingTheDatabaseWarnsExactlyWhenTheServerRunsWithoutAutovacuum() throws SQLException {
        String host = System.getenv().getOrDefault("JHE_DB_HOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("JHE_DB_PORT", "5432"));
        String name = System.getenv().getOrDefault("JHE_TEST_DB_NAME", "jhe_test");
        boolean autovacuum;
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port
                + "/postgres", "postgres", null); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT current_setting('autovacuum') = 'on'"
                        + " AND current_setting('track_counts') = 'on'")) {
            rows.next();
            autovacuum = rows.getBoolean(1);
        }
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            DevStack.database(host, port, name, false);
        } finally {
            System.setOut(out);
        }

        assertThat(printed.toString(StandardCharsets.UTF_8).contains("warning: autovacuum is"))
                .isEqualTo(!autovacuum);
    }
}
