package org.jupyterhealth.exchange.ingest.patient;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.common.events.AdminEvent;
import org.jupyterhealth.exchange.ingest.messaging.InFlight;
import org.jupyterhealth.exchange.ingest.resource.ResourceRepository;
import org.jupyterhealth.exchange.ingest.upload.UploadRepository;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.smallrye.mutiny.Uni;

/**
 * Consumes admin-service's domain events ({@code admin-events}): when a patient is deleted, every observation of
 * theirs is deleted from the store, and every resource of theirs from the FHIR resource store; when a FHIR source is
 * deleted, every resource written through it. Other events do not concern the store. The offset is committed once the
 * deletion has committed; a redelivered event deletes nothing more.
 */
@ApplicationScoped
public class PatientPurgeConsumer {
    private static final Logger LOG = Logger.getLogger(PatientPurgeConsumer.class);

    private final UploadRepository repository;
    private final ResourceRepository resources;
    private final ObjectMapper json;
    private final InFlight inFlight = new InFlight();

    public PatientPurgeConsumer(UploadRepository repository, ResourceRepository resources, ObjectMapper json) {
        this.repository = repository;
        this.resources = resources;
        this.json = json;
    }

    @Incoming("admin-events")
    public Uni<Void> onAdminEvent(String value) {
        // once the service stops, an event is left unacknowledged and processed by the next consumer of its partition
        return inFlight.run(() -> purge(value));
    }

    /** Lets a purge in progress finish when the service is asked to stop, before the consumer commits and closes. */
    void finishInFlight(@Observes ShutdownDelayInitiatedEvent stopping) {
        inFlight.stopAndAwait(Duration.ofSeconds(2));
    }

    private Uni<Void> purge(String value) {
        AdminEvent event;
        try {
            event = json.readValue(value, AdminEvent.class);
        } catch (Exception e) {
            LOG.warnf("ignoring an unreadable admin event: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (event != null && event.type() == AdminEvent.Type.FHIR_SOURCE_DELETED && event.fhirSourceId() != null) {
            long sourceId = event.fhirSourceId();
            return resources.deleteResourcesOfSource(sourceId)
                    .invoke(deleted -> LOG.infof("FHIR source %d deleted: %d stored resources purged", sourceId,
                            deleted))
                    .onFailure().invoke(e -> LOG.warnf("purge of FHIR source %d will be retried (%s)", sourceId,
                            e.toString()))
                    .onFailure().retry().withBackOff(Duration.ofMillis(250), Duration.ofSeconds(10)).indefinitely()
                    .replaceWithVoid();
        }
        if (event == null || event.type() != AdminEvent.Type.PATIENT_DELETED || event.patientId() == null) {
            return Uni.createFrom().voidItem();
        }
        long patientId = event.patientId();
        return repository.deleteObservationsOfPatient(patientId)
                .invoke(deleted -> LOG.infof("patient %d deleted: %d observations purged", patientId, deleted))
                .chain(() -> resources.deleteResourcesOfPatient(patientId))
                .invoke(deleted -> LOG.infof("patient %d deleted: %d stored resources purged", patientId, deleted))
                .onFailure().invoke(e -> LOG.warnf("purge of patient %d will be retried (%s)", patientId, e.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(250), Duration.ofSeconds(10)).indefinitely()
                .replaceWithVoid();
    }
}
