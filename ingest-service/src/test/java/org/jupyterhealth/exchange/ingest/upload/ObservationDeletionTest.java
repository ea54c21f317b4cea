package org.jupyterhealth.exchange.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.BLOOD_PRESSURE;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.HEART_RATE;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.MARY;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.PAMELA;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.PETER;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.PETER_USER;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.batch;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.identifierOf;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.observation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.common.upload.UploadEntry;
import org.jupyterhealth.exchange.common.upload.UploadEnvelope;
import org.jupyterhealth.exchange.common.upload.UploadResult;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A patient's deletion of its own observation, through the real broker and database: only the patient whose
 * observation it is deletes it; the row, its identifiers and its count go, the deletion is recorded, and a
 * redelivered deletion is answered as the first.
 */
@QuarkusTest
@QuarkusTestResource(StandInAdmin.class)
class ObservationDeletionTest {
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

    UploadResult send(UploadEnvelope upload) {
        topics.send(upload);
        return topics.awaitResult(upload.uploadId());
    }

    long stored(ObjectNode resource) {
        UploadResult result = send(batch(PETER_USER, resource));
        assertThat(result.entries()).extracting(EntryOutcome::status).containsExactly(201);
        return result.entries().get(0).observationId();
    }

    long count(String sql, Object... parameters) {
        return pool.preparedQuery(sql).execute(Tuple.from(parameters)).await().indefinitely().iterator().next()
                .getLong(0);
    }

    long counted(long patient, String code) {
        return count("SELECT COALESCE(sum(observations), 0) FROM ingest.observation_count "
                + "WHERE subject_patient_id = $1 AND coding_code = $2", patient, code);
    }

    @Test
    void thePatientDeletesItsOwnObservationWithItsIdentifierAndCountAndTheDeletionIsRecorded() {
        ObjectNode resource = observation(PETER, HEART_RATE);
        long id = stored(resource);
        long countedBefore = counted(PETER, HEART_RATE);
        UploadEnvelope deletion = UploadEnvelope.deletion(PETER_USER, id, "req-delete-1");

        UploadResult result = send(deletion);

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.entries()).containsExactly(EntryOutcome.deleted(id));
        assertThat(count("SELECT count(*) FROM ingest.observation WHERE id = $1", id)).isZero();
        assertThat(count("SELECT count(*) FROM ingest.observation_identifier WHERE value = $1",
                identifierOf(resource))).isZero();
        assertThat(counted(PETER, HEART_RATE)).isEqualTo(countedBefore - 1);
        Row recorded = pool.preparedQuery("SELECT subject_patient_id, coding_code, deleted_by_user_id, upload_id "
                + "FROM ingest.observation_deletion WHERE observation_id = $1").execute(Tuple.of(id))
                .await().indefinitely().iterator().next();
        assertThat(recorded.getLong(0)).isEqualTo(PETER);
        assertThat(recorded.getString(1)).isEqualTo(HEART_RATE);
        assertThat(recorded.getLong(2)).isEqualTo(PETER_USER);
        assertThat(recorded.getUUID(3)).isEqualTo(deletion.uploadId());
        // the same identifier may be uploaded again: the deleted observation holds it no more
        assertThat(stored(resource)).isNotEqualTo(id);
    }

    @Test
    void aPractitionerOrAnotherPatientCannotDeleteAndIsAnsweredAsForAnUnknownObservation() {
        long id = stored(observation(PETER, BLOOD_PRESSURE));
        long pamelaUser = StandInAdmin.PATIENTS.get(PAMELA).userId();

        UploadResult byPractitioner = send(UploadEnvelope.deletion(MARY, id, "req-delete-2"));
        UploadResult byOtherPatient = send(UploadEnvelope.deletion(pamelaUser, id, "req-delete-3"));
        UploadResult unknown = send(UploadEnvelope.deletion(PETER_USER, 999_999_999L, "req-delete-4"));

        for (UploadResult refused : List.of(byPractitioner, byOtherPatient, unknown)) {
            assertThat(refused.status()).isEqualTo(200);
            assertThat(refused.entries()).extracting(EntryOutcome::status).containsExactly(404);
            assertThat(refused.entries().get(0).issueCode()).isEqualTo("not-found");
        }
        assertThat(byPractitioner.entries().get(0).diagnostics())
                .isEqualTo(byOtherPatient.entries().get(0).diagnostics());
        assertThat(count("SELECT count(*) FROM ingest.observation WHERE id = $1", id)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM ingest.observation_deletion WHERE observation_id = $1", id)).isZero();
    }

    @Test
    void aRedeliveredDeletionIsAnsweredWithTheFirstOutcomeAndASecondDeletionIsA404() {
        long id = stored(observation(PETER, HEART_RATE));
        UploadEnvelope deletion = UploadEnvelope.deletion(PETER_USER, id, "req-delete-5");
        UploadResult first = send(deletion);

        topics.send(deletion);
        await().atMost(Duration.ofSeconds(30)).until(() -> topics.resultRecords(deletion.uploadId()).size() == 2);
        UploadResult again = UploadTopics.read(topics.resultRecords(deletion.uploadId()).get(1));
        UploadResult second = send(UploadEnvelope.deletion(PETER_USER, id, "req-delete-6"));

        assertThat(first.entries()).containsExactly(EntryOutcome.deleted(id));
        assertThat(again.entries()).isEqualTo(first.entries());
        assertThat(second.entries()).extracting(EntryOutcome::status).containsExactly(404);
    }

    @Test
    void withoutAdminServiceNothingIsDeletedAndTheAnswerIs503() {
        long id = stored(observation(PETER, HEART_RATE));
        StandInAdmin.FAILING.set(true);
        try {
            UploadResult result = send(UploadEnvelope.deletion(PETER_USER, id, "req-delete-7"));

            assertThat(result.status()).isEqualTo(503);
            assertThat(result.entries()).extracting(EntryOutcome::status).containsExactly(503);
            assertThat(count("SELECT count(*) FROM ingest.observation WHERE id = $1", id)).isEqualTo(1);
        } finally {
            StandInAdmin.FAILING.set(false);
        }
    }

    @Test
    void aDeletionEnvelopeThatNamesNoSingleObservationIsRefusedAndDeletesNothing() {
        long id = stored(observation(PETER, HEART_RATE));
        UploadEnvelope twoTargets = new UploadEnvelope(UploadEnvelope.CURRENT_VERSION, UUID.randomUUID(), PETER_USER,
                UploadEnvelope.DELETE, Instant.now(), "req-delete-8", List.of(
                        new UploadEntry(null, "DELETE", "Observation/" + id),
                        new UploadEntry(null, "DELETE", "Observation/" + id)));

        UploadResult result = send(twoTargets);

        assertThat(result.entries()).extracting(EntryOutcome::status).containsExactly(400, 400);
        assertThat(count("SELECT count(*) FROM ingest.observation WHERE id = $1", id)).isEqualTo(1);
    }
}
