package org.jupyterhealth.exchange.ingest.upload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.common.upload.UploadEnvelope;
import org.jupyterhealth.exchange.common.upload.UploadResult;
import org.jupyterhealth.exchange.ingest.messaging.InFlight;
import org.jupyterhealth.exchange.ingest.resource.ReferenceIndexing;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * Consumes topic {@code observation-uploads}. Each record is ingested (one database transaction, which records the
 * outcome), and only then is the record acknowledged, so its offset is committed after the transaction: a crash at
 * any point redelivers the record, which is then recognised and answered with the recorded outcome. The outcome is
 * produced to {@code observation-upload-results} (key: upload id) meanwhile; the next record does not wait for it
 * (fhir-service also reads outcomes from the store).
 *
 * <p>An unreachable database or broker is retried without end, holding the partition in order: nothing is lost,
 * and the upload goes on once they are back. Any other failure is retried a few times; then the record goes to
 * {@code observation-uploads-dlq} with the reason, and its uploader is told: a failed outcome is recorded and
 * produced, so that the waiting request and the status URL answer it. A poison record never blocks its partition.
 */
@ApplicationScoped
public class UploadConsumer {
    private static final Logger LOG = Logger.getLogger(UploadConsumer.class);
    static final String DLQ_REASON = "jhe-dlq-reason";
    static final String DLQ_EXCEPTION = "jhe-dlq-exception";
    /** Attempts at an upload that fails for another reason than an unreachable database or broker. */
    static final int ATTEMPTS = 3;
    /** Attempts at producing an outcome the broker does not take (it is in the store meanwhile). */
    static final int OUTCOME_ATTEMPTS = 10;
    /**
     * SQLSTATE classes worth retrying until they pass: connection exceptions, transaction rollbacks (serialization
     * failures, deadlocks), insufficient resources, operator intervention (a restarting server) and system errors.
     * Every other class (invalid data, constraint and program limit violations, ...) fails the same way again.
     */
    private static final Set<String> TRANSIENT_SQL_CLASSES = Set.of("08", "40", "53", "57", "58");

    private final UploadService service;
    private final ObservationDeletions deletions;
    private final ReferenceIndexing indexing;
    private final ObjectMapper json;
    private final MutinyEmitter<String> results;
    private final MutinyEmitter<byte[]> deadLetters;
    private final UploadMetrics metrics;
    private final InFlight inFlight = new InFlight();

    public UploadConsumer(UploadService service, ObservationDeletions deletions, ReferenceIndexing indexing,
            ObjectMapper json,
            @Channel("observation-upload-results") MutinyEmitter<String> results,
            @Channel("observation-uploads-dlq") MutinyEmitter<byte[]> deadLetters, UploadMetrics metrics) {
        this.service = service;
        this.deletions = deletions;
        this.indexing = indexing;
        this.json = json;
        this.results = results;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    @Incoming("observation-uploads")
    public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
        // once the service stops, a record is left unacknowledged: its offset is not committed, and the partition's
        // next owner processes it
        return inFlight.run(() -> process(record));
    }

    /**
     * Stops taking records and lets those in progress finish (2 s at most), first thing when the service
     * is asked to stop: their offsets are then committed as the consumers close, and nothing is done twice.
     */
    void finishInFlight(@Observes ShutdownDelayInitiatedEvent stopping) {
        int unfinished = inFlight.stopAndAwait(Duration.ofSeconds(2));
        if (unfinished > 0) {
            LOG.warnf("%d upload(s) still in progress at shutdown; they will be processed again by the next owner of "
                    + "their partitions (recognised by their upload ids)", unfinished);
        }
    }

    private Uni<Void> process(ConsumerRecord<String, byte[]> record) {
        long started = System.nanoTime();
        UploadEnvelope upload;
        try {
            upload = readEnvelope(record.value());
        } catch (IllegalArgumentException e) {
            LOG.warnf("upload record %s-%d@%d is unreadable: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return answerUnreadable(record.value())
                    .chain(() -> deadLetter(record, "unreadable-envelope", e));
        }
        return (upload.deletion() ? deletions.delete(upload)
                : upload.indexRefs() ? indexing.index(upload) : service.ingest(upload))
                .onFailure(UploadConsumer::isTransient).invoke(e -> LOG.warnf(
                        "upload %s: will retry after %s", upload.uploadId(), e.toString()))
                .onFailure(UploadConsumer::isTransient).retry()
                .withBackOff(Duration.ofMillis(250), Duration.ofSeconds(10)).indefinitely()
                .onFailure().retry().withBackOff(Duration.ofMillis(100)).atMost(ATTEMPTS - 1)
                .invoke(ingested -> {
                    metrics.upload(upload.bundleType(), ingested.replayed() ? "replayed" : outcomeOf(ingested.result()));
                    metrics.processed(Duration.ofNanos(System.nanoTime() - started));
                    // the outcome is recorded with the observations: the record is done once that transaction has
                    // committed, and the next one need not wait for the broker to take the outcome
                    publish(ingested.result())
                            .onFailure().call(e -> deadLetter(record, "outcome-not-produced", e))
                            .subscribe().with(sent -> {
                            }, failure -> LOG.errorf(failure, "upload %s: outcome not produced", upload.uploadId()));
                })
                .replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    LOG.errorf(e, "upload %s could not be processed; sending it to the dead-letter topic",
                            upload.uploadId());
                    return answerFailed(upload.uploadId(), upload.uploaderUserId(), upload.bundleType(),
                            upload.entries().size())
                            .chain(() -> deadLetter(record, "processing-failed", e));
                });
    }

    /**
     * Produces the outcome and completes once the broker has it. A broker that is away is waited for a while; an
     * outcome it refuses (one too large, say) fails at once. Either way the outcome is in the store, where
     * fhir-service finds it.
     */
    Uni<Void> publish(UploadResult result) {
        String value = write(result);
        return Uni.createFrom().deferred(() -> results.sendMessage(Message.of(value).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(result.uploadId().toString()).build())))
                .onFailure(UploadConsumer::brokerMayTakeItLater).invoke(e -> LOG.warnf(
                        "upload %s: outcome not produced yet (%s)", result.uploadId(), e.toString()))
                .onFailure(UploadConsumer::brokerMayTakeItLater).retry()
                .withBackOff(Duration.ofMillis(250), Duration.ofSeconds(10)).atMost(OUTCOME_ATTEMPTS - 1);
    }

    /**
     * The uploader of an upload that cannot be processed is told so: a failed outcome is recorded (unless an
     * outcome already was, which then stands) and produced. Nothing of the upload was stored.
     */
    private Uni<Void> answerFailed(UUID uploadId, long uploaderUserId, String bundleType, int entries) {
        UploadResult failed = new UploadResult(uploadId, uploaderUserId, bundleType, UploadResult.FAILED,
                Instant.now(), Collections.nCopies(entries, EntryOutcome.failed(500, "exception",
                        "The upload could not be processed; nothing was stored.")));
        return service.recordFailure(failed)
                .onFailure(UploadConsumer::isTransient).retry()
                .withBackOff(Duration.ofMillis(250), Duration.ofSeconds(10)).indefinitely()
                .onFailure().invoke(e -> LOG.errorf(e, "upload %s: the failure could not be recorded", uploadId))
                .onFailure().recoverWithItem(failed)
                .chain(recorded -> publish(recorded)
                        .onFailure().invoke(e -> LOG.errorf(e, "upload %s: failure not produced", uploadId))
                        .onFailure().recoverWithNull());
    }

    /**
     * An unreadable record whose upload id and uploader can still be read (a record of another envelope version,
     * say) is answered as failed; any other has nobody to answer.
     */
    private Uni<Void> answerUnreadable(byte[] value) {
        try {
            JsonNode tree = value == null ? null : json.readTree(value);
            UUID uploadId = tree == null ? null : UUID.fromString(tree.path("uploadId").asText());
            long uploader = tree.path("uploaderUserId").asLong(0);
            if (uploader <= 0) {
                return Uni.createFrom().voidItem();
            }
            String type = UploadEnvelope.TRANSACTION.equals(tree.path("bundleType").asText())
                    ? UploadEnvelope.TRANSACTION : UploadEnvelope.BATCH;
            return answerFailed(uploadId, uploader, type, tree.path("entries").size());
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            return Uni.createFrom().voidItem();
        }
    }

    private Uni<Void> deadLetter(ConsumerRecord<String, byte[]> record, String reason, Throwable cause) {
        metrics.upload(null, "dead-lettered");
        metrics.deadLettered(reason);
        RecordHeaders headers = new RecordHeaders();
        headers.add(DLQ_REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(DLQ_EXCEPTION, cause.getClass().getName().getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key()).withHeaders(headers).build();
        byte[] value = record.value() == null ? new byte[0] : record.value();
        return Uni.createFrom().deferred(() -> deadLetters.sendMessage(Message.of(value).addMetadata(metadata)))
                .onFailure().retry().withBackOff(Duration.ofMillis(250), Duration.ofSeconds(10)).indefinitely();
    }

    /** The envelope, read from the record's bytes (UTF-8 JSON) without decoding them to a string first. */
    private UploadEnvelope readEnvelope(byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("no value");
        }
        UploadEnvelope upload;
        try {
            upload = json.readValue(value, UploadEnvelope.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not an upload envelope: "
                    + (e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage()));
        }
        if (upload == null || upload.version() != UploadEnvelope.CURRENT_VERSION || upload.uploadId() == null
                || upload.entries() == null || upload.uploaderUserId() <= 0
                || !(UploadEnvelope.BATCH.equals(upload.bundleType())
                        || UploadEnvelope.TRANSACTION.equals(upload.bundleType())
                        || UploadEnvelope.DELETE.equals(upload.bundleType())
                        || UploadEnvelope.INDEX_REFS.equals(upload.bundleType()))) {
            throw new IllegalArgumentException("not a version " + UploadEnvelope.CURRENT_VERSION
                    + " upload envelope");
        }
        return upload;
    }

    /**
     * Whether waiting can help: an unreachable or restarting database or broker, a timeout, a concurrent
     * identifier. Retried without end; anything else is retried {@link #ATTEMPTS} times at most.
     */
    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof JacksonException || t instanceof IllegalStateException
                    || t instanceof IllegalArgumentException) {
                return false;
            }
            if (t instanceof PgException pg) {
                String state = pg.getSqlState();
                return state != null && state.length() >= 2 && TRANSIENT_SQL_CLASSES.contains(state.substring(0, 2));
            }
            if (t instanceof UploadRepository.IdentifierTakenException || t instanceof TimeoutException
                    || t instanceof IOException || t instanceof VertxException
                    || t instanceof ClosedConnectionException
                    || t.getClass().getName().startsWith("io.vertx.core.impl.NoStackTraceThrowable")
                    || t.getClass().getName().equals("io.vertx.core.impl.NoStackTraceException")) {
                return true;
            }
        }
        return false;
    }

    /** Whether the broker refused a record only for now (not reachable, no leader): Kafka's retriable errors. */
    static boolean brokerMayTakeItLater(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RetriableException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String outcomeOf(UploadResult result) {
        return switch (result.status()) {
            case UploadResult.PROCESSED -> "processed";
            case UploadResult.UNAVAILABLE -> "unavailable";
            case UploadResult.FAILED -> "failed";
            default -> "refused";
        };
    }

    private String write(UploadResult result) {
        try {
            return json.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
