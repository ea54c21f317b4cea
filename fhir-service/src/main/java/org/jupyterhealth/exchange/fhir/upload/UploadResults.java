package org.jupyterhealth.exchange.fhir.upload;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.common.upload.UploadResult;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.smallrye.mutiny.Uni;

/**
 * The outcomes of uploads this replica is waiting for. Every replica reads the whole results topic with a consumer
 * group of its own (so whichever replica took the request sees the outcome, however many there are) and completes
 * the matching waiting request; outcomes nobody here waits for are ignored. When the service is asked to stop,
 * nobody waits any longer: the waiting requests are answered with their status URLs.
 */
@ApplicationScoped
public class UploadResults {
    private static final Logger LOG = Logger.getLogger(UploadResults.class);

    private final Map<UUID, CompletableFuture<UploadResult>> waiting = new ConcurrentHashMap<>();
    private final CompletableFuture<Boolean> stopping = new CompletableFuture<>();
    private final ObjectMapper json;

    public UploadResults(ObjectMapper json) {
        this.json = json;
    }

    /** Starts waiting for an upload's outcome; call before producing the upload. */
    public CompletableFuture<UploadResult> expect(UUID uploadId) {
        return waiting.computeIfAbsent(uploadId, id -> new CompletableFuture<>());
    }

    /** Stops waiting (answered, timed out or failed). */
    public void forget(UUID uploadId) {
        waiting.remove(uploadId);
    }

    public int waitingCount() {
        return waiting.size();
    }

    /**
     * Completes when the service begins to stop. A stage of its own for each caller: a caller that cancels its wait
     * cancels only its own stage.
     */
    public CompletableFuture<Boolean> stopping() {
        return stopping.thenApply(stopped -> stopped);
    }

    /** First thing on SIGTERM, while the HTTP server still answers: every waiting upload is answered now. */
    void stopWaiting(@Observes ShutdownDelayInitiatedEvent event) {
        stopping.complete(Boolean.TRUE);
    }

    @Incoming("observation-upload-results")
    public Uni<Void> onResult(ConsumerRecord<String, String> record) {
        // most outcomes are for other replicas' requests: the key (upload id) says so without reading the value
        UUID key = uploadIdOf(record.key());
        if (key != null && !waiting.containsKey(key)) {
            return Uni.createFrom().voidItem();
        }
        UploadResult result;
        try {
            result = json.readValue(record.value(), UploadResult.class);
        } catch (Exception e) {
            LOG.warnf("ignoring an unreadable upload outcome: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (result != null && result.uploadId() != null) {
            CompletableFuture<UploadResult> waiter = waiting.remove(result.uploadId());
            if (waiter != null) {
                waiter.complete(result);
            }
        }
        return Uni.createFrom().voidItem();
    }

    private static UUID uploadIdOf(String key) {
        try {
            return key == null ? null : UUID.fromString(key);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
