package org.jupyterhealth.exchange.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.BLOOD_PRESSURE;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.HEART_RATE;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.PETER;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.PETER_USER;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.batch;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.observation;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.common.upload.UploadEnvelope;
import org.jupyterhealth.exchange.common.upload.UploadResult;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The plottable quantities the store keeps beside each observation ({@code observation_point}, read by plots): written
 * with the observation whoever writes it, replaced when it is updated, gone when it is deleted, and back-filled by the
 * migration that introduced them for the observations stored before. The statements run as the service's own role.
 */
@QuarkusTest
@QuarkusTestResource(StandInAdmin.class)
class ObservationPointsTest {
    static UploadTopics topics;

    @Inject
    Pool pool;

    @BeforeAll
    static void connect() {
        topics = new UploadTopics();
    }

    @AfterAll
    static void disconnect() {
        topics.close();
    }

    /** An observation's quantities as "name unit value first", by name. */
    List<String> points(long observationId) {
        List<String> points = new ArrayList<>();
        for (Row row : pool.preparedQuery("SELECT name, unit, value, first_quantity FROM ingest.observation_point "
                + "WHERE observation_id = $1 ORDER BY name").execute(Tuple.of(observationId)).await().indefinitely()) {
            points.add(row.getString(0) + " " + row.getString(1) + " " + row.getDouble(2) + " " + row.getBoolean(3));
        }
        return points;
    }

    long insert(String body, String effective) {
        return pool.preparedQuery("""
                INSERT INTO ingest.observation (subject_patient_id, codeable_concept_id, coding_system, coding_code,
                    omh_data, effective_date_time)
                VALUES ($1, 50001, 'https://w3id.org/openmhealth', $2, jsonb_build_object('body', $3::text::jsonb),
                    $4::text::timestamptz)
                RETURNING id""").execute(Tuple.of(PETER, HEART_RATE, body, effective)).await().indefinitely()
                .iterator().next().getLong(0);
    }

    @Test
    void anUploadedObservationKeepsEachQuantityOfItsBodyWithItsPatientCodeAndTime() {
        UploadResult result = send(batch(PETER_USER, observation(PETER, BLOOD_PRESSURE)));
        long id = result.entries().get(0).observationId();

        assertThat(points(id)).containsExactly("diastolic_blood_pressure mmHg 60.0 true",
                "systolic_blood_pressure mmHg 115.0 false");
        Row row = pool.preparedQuery("SELECT DISTINCT subject_patient_id, coding_system, coding_code, effective_at "
                + "FROM ingest.observation_point WHERE observation_id = $1").execute(Tuple.of(id)).await()
                .indefinitely().iterator().next();
        assertThat(row.getLong(0)).isEqualTo(PETER);
        assertThat(row.getString(1)).isEqualTo(Fixtures.OMH);
        assertThat(row.getString(2)).isEqualTo(BLOOD_PRESSURE);
        assertThat(row.getOffsetDateTime(3).toInstant())
                .isEqualTo(OffsetDateTime.parse("2025-01-01T00:02:00-08:00").toInstant());
    }

    @Test
    void onlyNumbersAPlotCanDrawAreKeptAndAnObservationWithoutATimeHasNone() {
        long id = insert("""
                {"plain": 5, "quantity": {"value": -2.5, "unit": "kg"}, "unit_not_text": {"value": 7, "unit": 3},
                 "text": "high", "text_value": {"value": "7", "unit": "kg"}, "huge": {"value": 1e301, "unit": "kg"},
                 "below_doubles": 1e-400, "effective_time_frame": {"date_time": "2025-01-01T00:00:00Z"}}""",
                "2025-01-01T00:00:00Z");
        long undated = insert("{\"plain\": 5}", null);
        long bodyless = pool.preparedQuery("INSERT INTO ingest.observation (subject_patient_id, codeable_concept_id, "
                + "coding_system, coding_code, omh_data, effective_date_time) VALUES ($1, 50001, 'x', 'y', "
                + "'{\"body\": [1, 2]}', now()) RETURNING id").execute(Tuple.of(PETER)).await().indefinitely()
                .iterator().next().getLong(0);

        assertThat(points(id)).containsExactly("plain null 5.0 true", "quantity kg -2.5 false",
                "unit_not_text null 7.0 false");
        assertThat(points(undated)).isEmpty();
        assertThat(points(bodyless)).isEmpty();
    }

    @Test
    void anUpdatedObservationHasItsQuantitiesReplacedAndADeletedOneHasNone() {
        long id = insert("{\"heart_rate\": {\"value\": 60, \"unit\": \"beats/min\"}}", "2025-01-01T00:00:00Z");
        long other = insert("{\"heart_rate\": {\"value\": 70, \"unit\": \"beats/min\"}}", "2025-01-01T00:00:00Z");

        pool.preparedQuery("UPDATE ingest.observation SET omh_data = '{\"body\": {\"heart_rate\": {\"value\": 61.5, "
                + "\"unit\": \"beats/min\"}, \"at_rest\": 1}}', effective_date_time = '2025-01-02T00:00:00Z' "
                + "WHERE id = $1").execute(Tuple.of(id)).await().indefinitely();

        assertThat(points(id)).containsExactly("at_rest null 1.0 true", "heart_rate beats/min 61.5 false");
        assertThat(pool.preparedQuery("SELECT DISTINCT effective_at FROM ingest.observation_point "
                + "WHERE observation_id = $1").execute(Tuple.of(id)).await().indefinitely().iterator().next()
                .getOffsetDateTime(0).toInstant()).isEqualTo(OffsetDateTime.parse("2025-01-02T00:00:00Z").toInstant());
        assertThat(points(other)).containsExactly("heart_rate beats/min 70.0 true");

        pool.preparedQuery("DELETE FROM ingest.observation WHERE id = $1").execute(Tuple.of(id)).await()
                .indefinitely();

        assertThat(points(id)).isEmpty();
        assertThat(points(other)).containsExactly("heart_rate beats/min 70.0 true");
    }

    @Test
    void thePatientsDeletionOfItsObservationTakesItsQuantitiesWithIt() {
        long id = send(batch(PETER_USER, observation(PETER, HEART_RATE))).entries().get(0).observationId();
        assertThat(points(id)).hasSize(1);

        UploadResult result = send(UploadEnvelope.deletion(PETER_USER, id, "req-points-delete"));

        assertThat(result.entries()).containsExactly(EntryOutcome.deleted(id));
        assertThat(points(id)).isEmpty();
    }

    /**
     * The store as it was before the quantities were kept (migrations up to V31, in a schema of its own), holding
     * more observations than one batch of the back-fill; migrating it on fills them in, as the triggers would have.
     */
    @Test
    void theMigrationBackFillsTheQuantitiesOfTheObservationsStoredBefore() throws SQLException {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        FluentConfiguration builder = Flyway.configure()
                .dataSource(url, "postgres", "local-trust")
                .schemas("ingest_backfill").defaultSchema("ingest_backfill").createSchemas(true)
                .locations("classpath:db/migration", "classpath:db/callbacks")
                .placeholders(Map.of("service_role", "jhe_ingest"))
                .cleanDisabled(false);
        Flyway before = builder.target("31").load();
        before.clean();
        try (Connection db = DriverManager.getConnection(url, "postgres", "local-trust");
                Statement sql = db.createStatement()) {
            before.migrate();
            // 50,003 heart rates (one every minute), one blood pressure, one observation without a time
            sql.executeUpdate("""
                    INSERT INTO ingest_backfill.observation (subject_patient_id, codeable_concept_id, coding_system,
                        coding_code, omh_data, effective_date_time)
                    SELECT 40001, 50001, 'https://w3id.org/openmhealth', 'omh:heart-rate:2.0',
                        jsonb_build_object('body', jsonb_build_object('heart_rate',
                            jsonb_build_object('value', 50 + g % 50, 'unit', 'beats/min'))),
                        timestamptz '2025-01-01T00:00:00Z' + g * interval '1 minute'
                    FROM generate_series(1, 50003) g""");
            sql.executeUpdate("""
                    INSERT INTO ingest_backfill.observation (subject_patient_id, codeable_concept_id, coding_system,
                        coding_code, omh_data, effective_date_time) VALUES
                    (40002, 50002, 'https://w3id.org/openmhealth', 'omh:blood-pressure:4.0',
                     '{"body": {"systolic_blood_pressure": {"value": 115, "unit": "mmHg"},
                                "diastolic_blood_pressure": {"value": 60, "unit": "mmHg"}}}', '2025-01-01T00:00:00Z'),
                    (40002, 50002, 'https://w3id.org/openmhealth', 'omh:blood-pressure:4.0',
                     '{"body": {"systolic_blood_pressure": {"value": 120, "unit": "mmHg"}}}', NULL)""");

            builder.target("latest").load().migrate();

            try (ResultSet rows = sql.executeQuery("""
                    SELECT count(*), count(*) FILTER (WHERE first_quantity), count(DISTINCT observation_id),
                        sum(value), count(*) FILTER (WHERE p.effective_at = o.effective_at
                            AND p.subject_patient_id = o.subject_patient_id AND p.coding_code = o.coding_code)
                    FROM ingest_backfill.observation_point p JOIN ingest_backfill.observation o
                        ON o.id = p.observation_id""")) {
                rows.next();
                assertThat(rows.getLong(1)).isEqualTo(50_005);
                assertThat(rows.getLong(2)).isEqualTo(50_004);
                assertThat(rows.getLong(3)).isEqualTo(50_004);
                // the heart rates' values (50 + g % 50) and the blood pressure's two
                long heartRates = 0;
                for (int g = 1; g <= 50_003; g++) {
                    heartRates += 50 + g % 50;
                }
                assertThat(rows.getDouble(4)).isEqualTo(heartRates + 175.0);
                assertThat(rows.getLong(5)).isEqualTo(50_005);
            }
            // and from then on the triggers keep them
            sql.executeUpdate("DELETE FROM ingest_backfill.observation WHERE subject_patient_id = 40001");
            try (ResultSet rows = sql.executeQuery("SELECT count(*) FROM ingest_backfill.observation_point")) {
                rows.next();
                assertThat(rows.getLong(1)).isEqualTo(2);
            }
        } finally {
            before.clean();
        }
    }

    UploadResult send(UploadEnvelope upload) {
        topics.send(upload);
        UploadResult result = topics.awaitResult(upload.uploadId());
        assertThat(result.entries()).extracting(EntryOutcome::status).doesNotContain(400, 403, 409, 422, 503);
        return result;
    }
}
