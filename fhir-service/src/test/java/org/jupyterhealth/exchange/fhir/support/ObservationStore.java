package org.jupyterhealth.exchange.fhir.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.Flyway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The observation store as ingest-service creates it, in the tests' real PostgreSQL database: ingest-service's own
 * migrations (schema {@code ingest}, recreated) and its demo seed (the original's 9 observations), so that
 * fhir-service reads exactly the schema and rows it reads in production, through its read-only role. Tests add and
 * remove rows with {@link #insert} and {@link #deletePatient}, as the owner.
 */
public class ObservationStore implements QuarkusTestResourceLifecycleManager {
    private static final String INGEST = "../ingest-service/src/main/resources/db/";

    @Override
    public Map<String, String> start() {
        Flyway ingest = Flyway.configure()
                .dataSource(url(), "postgres", "local-trust")
                .schemas("ingest").defaultSchema("ingest").createSchemas(true)
                // with the callback that creates ingest-service's login role, which its first migration grants to
                .locations("filesystem:" + INGEST + "migration", "classpath:db/callbacks")
                .placeholders(Map.of("service_role", "jhe_ingest"))
                .cleanDisabled(false)
                .load();
        ingest.clean();
        ingest.migrate();
        Flyway.configure()
                .dataSource(url(), "postgres", "local-trust")
                .schemas("ingest").defaultSchema("ingest")
                .locations("filesystem:" + INGEST + "seed")
                .table("demo_seed_history").baselineOnMigrate(true).baselineVersion("0")
                .load().migrate();
        return Map.of();
    }

    @Override
    public void stop() {
    }

    static String url() {
        String host = System.getenv().getOrDefault("JHE_DB_HOST", "127.0.0.1");
        String port = System.getenv().getOrDefault("JHE_DB_PORT", "5432");
        String name = System.getenv().getOrDefault("JHE_TEST_DB_NAME", "jhe_test");
        return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), "postgres", "local-trust");
    }

    /** Stores an observation as ingest-service would; returns its id. */
    public static long insert(long patientId, String code, OffsetDateTime effective, Long dataSourceId, String status,
            String identifierSystem, String identifierValue) {
        try (Connection db = connect()) {
            long id;
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO ingest.observation (subject_patient_id, "
                    + "codeable_concept_id, coding_system, coding_code, data_source_id, status, omh_data, "
                    + "effective_date_time) VALUES (?, 1, 'https://w3id.org/openmhealth', ?, ?, ?, ?::jsonb, ?) "
                    + "RETURNING id")) {
                insert.setLong(1, patientId);
                insert.setString(2, code);
                if (dataSourceId == null) {
                    insert.setNull(3, Types.BIGINT);
                } else {
                    insert.setLong(3, dataSourceId);
                }
                insert.setString(4, status);
                insert.setString(5, "{\"header\": {\"uuid\": \"" + UUID.randomUUID()
                        + "\"}, \"body\": {\"heart_rate\": {\"value\": 60, \"unit\": \"beats/min\"}}}");
                insert.setTimestamp(6, effective == null ? null : Timestamp.from(effective.toInstant()));
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            if (identifierSystem != null) {
                try (PreparedStatement identifier = db.prepareStatement(
                        "INSERT INTO ingest.observation_identifier (observation_id, system, value) VALUES (?, ?, ?)")) {
                    identifier.setLong(1, id);
                    identifier.setString(2, identifierSystem);
                    identifier.setString(3, identifierValue);
                    identifier.executeUpdate();
                }
            }
            return id;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long insert(long patientId, String code) {
        return insert(patientId, code, null, null, "final", null, null);
    }

    /** Removes every observation of a patient. */
    public static void deletePatient(long patientId) {
        try (Connection db = connect();
                PreparedStatement delete = db.prepareStatement(
                        "DELETE FROM ingest.observation WHERE subject_patient_id = ?")) {
            delete.setLong(1, patientId);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
