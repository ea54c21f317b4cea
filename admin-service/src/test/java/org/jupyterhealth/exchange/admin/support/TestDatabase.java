package org.jupyterhealth.exchange.admin.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The test database over JDBC as the migrations' owner, for what no API shows or does: a state no request can
 * reach (a patient without an account), or a row a service keeps to itself (the mail outbox).
 */
public final class TestDatabase {
    private TestDatabase() {
    }

    public static void execute(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("could not change the test database", e);
        }
    }

    /** The number the query answers (a count), in schema {@code admin}. */
    public static long number(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the test database", e);
        }
    }

    private static Connection connect() throws SQLException {
        Config config = ConfigProvider.getConfig();
        String url = config.getValue("quarkus.datasource.jdbc.url", String.class);
        String user = config.getValue("quarkus.flyway.username", String.class);
        String password = config.getOptionalValue("quarkus.flyway.password", String.class).orElse("");
        return DriverManager.getConnection(url, user, password);
    }
}
