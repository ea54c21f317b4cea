package org.jupyterhealth.exchange.ingest.upload;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.common.upload.UploadEntry;
import org.jupyterhealth.exchange.common.upload.UploadEnvelope;
import org.jupyterhealth.exchange.common.upload.UploadResult;
import org.jupyterhealth.exchange.ingest.config.IngestConfig;
import org.jupyterhealth.exchange.ingest.upload.PatientRecordClient.PatientAccount;
import org.jupyterhealth.exchange.ingest.upload.UploadRepository.UploadRecord;
import org.jupyterhealth.exchange.ingest.upload.UploadService.Ingested;

import io.smallrye.mutiny.Uni;

/**
 * A patient's deletion of one of its own observations ({@link UploadEnvelope#DELETE}): the observation must exist and
 * belong to the patient whose account sent the deletion (admin-service says which account that is; without its answer
 * nothing is deleted). The row is deleted, the deletion recorded and the outcome stored in one transaction, like an
 * upload's, so that a redelivered deletion is answered with the outcome of the first. Anyone else's observation, or
 * one that does not exist, is answered 404 alike: a deletion does not tell whether another patient's data exists.
 */
@ApplicationScoped
public class ObservationDeletions {
    private static final Logger LOG = Logger.getLogger(ObservationDeletions.class);
    private static final Pattern TARGET = Pattern.compile("Observation/([1-9][0-9]{0,17})");

    private final UploadRepository repository;
    private final PatientRecordClient patients;
    private final IngestConfig config;
    private final UploadMetrics metrics;
    private final UploadService uploads;

    public ObservationDeletions(UploadRepository repository, @RestClient PatientRecordClient patients,
            IngestConfig config, UploadMetrics metrics, UploadService uploads) {
        this.repository = repository;
        this.uploads = uploads;
        this.patients = patients;
        this.config = config;
        this.metrics = metrics;
    }

    public Uni<Ingested> delete(UploadEnvelope deletion) {
        Long id = targetOf(deletion);
        if (id == null) {
            // not produced by fhir-service's delete endpoints: refused entry by entry, nothing deleted
            EntryOutcome invalid = EntryOutcome.failed(400, "invalid",
                    "A deletion names one Observation: DELETE Observation/{id}.");
            return store(deletion, new UploadResult(deletion.uploadId(), deletion.uploaderUserId(),
                    deletion.bundleType(), UploadResult.PROCESSED, Instant.now(),
                    Collections.nCopies(deletion.entries().size(), invalid)));
        }
        return repository.findPatientOf(id).chain(patient -> patient == null
                ? record(deletion, notFound(id))
                : accountOf(patient).chain(account -> {
                    if (account == null) {
                        return recordUnavailable(deletion);
                    }
                    if (account.jheUserId() == null || account.jheUserId() != deletion.uploaderUserId()) {
                        return record(deletion, notFound(id));
                    }
                    return deleteAndRecord(deletion, id, patient);
                }));
    }

    private static Long targetOf(UploadEnvelope deletion) {
        if (deletion.entries().size() != 1) {
            return null;
        }
        UploadEntry entry = deletion.entries().get(0);
        Matcher target = entry == null || entry.url() == null ? null : TARGET.matcher(entry.url());
        return entry != null && "DELETE".equals(entry.method()) && target.matches()
                ? Long.valueOf(target.group(1)) : null;
    }

    /** The patient's account, or a null item when admin-service does not answer (fail closed). */
    private Uni<PatientAccount> accountOf(long patientId) {
        return patients.patients(Long.toString(patientId))
                .ifNoItem().after(config.decisionTimeout()).fail()
                .onFailure().retry().withBackOff(Duration.ofMillis(200)).atMost(2)
                .map(records -> records.stream().filter(r -> r.id() == patientId).findFirst()
                        // a patient admin-service no longer knows has no account that could delete
                        .orElse(new PatientAccount(patientId, null)))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("deletion: no patient record from admin-service (%s)", failure.toString());
                    return null;
                });
    }

    private Uni<Ingested> deleteAndRecord(UploadEnvelope deletion, long id, long patientId) {
        return repository.pool().withTransaction(tx -> repository
                .deleteObservation(tx, id, patientId, deletion.uploaderUserId(), deletion.uploadId())
                .chain(deleted -> {
                    // deleted meanwhile by another request: then it is no longer there
                    EntryOutcome outcome = deleted ? EntryOutcome.deleted(id) : notFound(id);
                    UploadResult result = resultOf(deletion, UploadResult.PROCESSED, outcome);
                    return repository.insertUpload(tx, recordOf(deletion, result, deleted ? 1 : 0))
                            .map(inserted -> new Ingested(result, !inserted));
                }))
                .chain(ingested -> replayedOr(deletion, ingested))
                .invoke(ingested -> metrics.entry(ingested.result().entries().get(0).status()));
    }

    private Uni<Ingested> record(UploadEnvelope deletion, EntryOutcome outcome) {
        return store(deletion, resultOf(deletion, UploadResult.PROCESSED, outcome));
    }

    private Uni<Ingested> recordUnavailable(UploadEnvelope deletion) {
        return store(deletion, resultOf(deletion, UploadResult.UNAVAILABLE, EntryOutcome.failed(503, "transient",
                "The deletion cannot be decided at the moment; nothing was deleted. Try again later.")));
    }

    private Uni<Ingested> store(UploadEnvelope deletion, UploadResult result) {
        return repository.pool().withTransaction(tx -> repository.insertUpload(tx, recordOf(deletion, result, 0)))
                .map(inserted -> new Ingested(result, !inserted))
                .chain(ingested -> replayedOr(deletion, ingested));
    }

    /** A deletion recorded before (a redelivery) is answered with the outcome recorded then. */
    private Uni<Ingested> replayedOr(UploadEnvelope deletion, Ingested ingested) {
        return !ingested.replayed() ? Uni.createFrom().item(ingested)
                : repository.findResult(deletion.uploadId())
                        .map(recorded -> new Ingested(uploads.readResult(recorded), true));
    }

    private static EntryOutcome notFound(long id) {
        return EntryOutcome.failed(404, "not-found", "Observation/" + id + " is not an observation of yours.");
    }

    private static UploadResult resultOf(UploadEnvelope deletion, int status, EntryOutcome outcome) {
        return new UploadResult(deletion.uploadId(), deletion.uploaderUserId(), deletion.bundleType(), status,
                Instant.now(), List.of(outcome));
    }

    private UploadRecord recordOf(UploadEnvelope deletion, UploadResult result, int deleted) {
        return new UploadRecord(deletion.uploadId(), deletion.uploaderUserId(), deletion.bundleType(),
                result.status(), deletion.entries().size(), deleted, uploads.writeResult(result),
                (deletion.receivedAt() == null ? Instant.now() : deletion.receivedAt()).atOffset(ZoneOffset.UTC));
    }
}
