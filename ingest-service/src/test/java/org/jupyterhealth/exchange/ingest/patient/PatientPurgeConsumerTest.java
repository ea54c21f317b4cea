package org.jupyterhealth.exchange.ingest.patient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.events.AdminEvent;
import org.jupyterhealth.exchange.common.kafka.Topic;
import org.jupyterhealth.exchange.common.testing.ContractCheck;
import org.jupyterhealth.exchange.common.upload.UploadEnvelope;
import org.jupyterhealth.exchange.ingest.upload.Fixtures;
import org.jupyterhealth.exchange.ingest.upload.StandInAdmin;
import org.jupyterhealth.exchange.ingest.upload.UploadTopics;

import com.fasterxml.jackson.databind.SerializationFeature;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** A deleted patient's observations and their identifiers leave the store; other patients' stay. */
@QuarkusTest
@QuarkusTestResource(StandInAdmin.class)
class PatientPurgeConsumerTest {
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

    long observationsOf(long patientId) {
        return pool.preparedQuery("SELECT count(*) FROM ingest.observation WHERE subject_patient_id = $1")
                .execute(Tuple.of(patientId)).await().indefinitely().iterator().next().getLong(0);
    }

    /** The patient's observations as the per-patient, per-code counters that search totals add up say. */
    long countedOf(long patientId) {
        return pool.preparedQuery("SELECT coalesce(sum(observations), 0) FROM ingest.observation_count "
                + "WHERE subject_patient_id = $1")
                .execute(Tuple.of(patientId)).await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void deletingAPatientPurgesTheirObservationsAndIdentifiersOnly() throws Exception {
        var percysFirst = Fixtures.observation(Fixtures.PERCY, "omh:body-temperature:4.0");
        var percysSecond = Fixtures.observation(Fixtures.PERCY, "omh:body-temperature:4.0");
        UploadEnvelope percys = Fixtures.batch(10009, percysFirst, percysSecond);
        UploadEnvelope peters = Fixtures.batch(Fixtures.PETER_USER, Fixtures.observation(Fixtures.PETER,
                Fixtures.HEART_RATE));
        topics.send(percys);
        topics.send(peters);
        assertThat(topics.awaitResult(percys.uploadId()).storedCount()).isEqualTo(2);
        assertThat(topics.awaitResult(peters.uploadId()).storedCount()).isEqualTo(1);
        long petersBefore = observationsOf(Fixtures.PETER);
        assertThat(countedOf(Fixtures.PERCY)).isEqualTo(observationsOf(Fixtures.PERCY)).isGreaterThanOrEqualTo(2);
        assertThat(countedOf(Fixtures.PETER)).isEqualTo(petersBefore);

        AdminEvent deleted = new AdminEvent(AdminEvent.Type.PATIENT_DELETED, Fixtures.PERCY, null, 20007L, null,
                Instant.now());
        // as admin-service writes it: the instant as ISO-8601 text (docs/internal-api.yaml AdminEvent)
        String event = Fixtures.JSON.writer().without(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .writeValueAsString(deleted);
        ContractCheck.assertMessage("AdminEvent", event);
        topics.sendTo(Topic.ADMIN_EVENTS.topicName(), Long.toString(Fixtures.PERCY), event);

        await().atMost(Duration.ofSeconds(20)).until(() -> observationsOf(Fixtures.PERCY) == 0);
        assertThat(observationsOf(Fixtures.PETER)).isEqualTo(petersBefore);
        assertThat(countedOf(Fixtures.PERCY)).isZero();
        assertThat(countedOf(Fixtures.PETER)).isEqualTo(petersBefore);
        long orphanIdentifiers = pool.query("""
                SELECT count(*) FROM ingest.observation_identifier i
                WHERE NOT EXISTS (SELECT 1 FROM ingest.observation o WHERE o.id = i.observation_id)
                """).execute().await().indefinitely().iterator().next().getLong(0);
        assertThat(orphanIdentifiers).isZero();

        // the purged observations' identifiers went with them: the same observations can be uploaded again
        UploadEnvelope again = Fixtures.batch(10009, percysFirst, percysSecond);
        topics.send(again);
        assertThat(topics.awaitResult(again.uploadId()).storedCount()).isEqualTo(2);
        assertThat(observationsOf(Fixtures.PERCY)).isEqualTo(2);
    }
}
