package org.jupyterhealth.exchange.ingest.upload;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.common.upload.UploadEnvelope;
import org.jupyterhealth.exchange.common.upload.UploadResult;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.pgclient.PgException;

/**
 * Consumes topic {@code observation-uploads}. Each record is ingested (one database transaction, which records the
 * outcome), and only then is the record acknowledged, so its offset is committed after the transaction: a crash at
 * any point redelivers the record, which is then recognised and answered with the recorded outcome. The outcome is
 * produced to {@code observation-upload-results} (key: upload id) meanwhile, retried until the broker has it; the
 * next record does not wait for it. Infrastructure failures (database or broker unreachable) are retried
 * without end, holding the partition in order; a record that cannot be processed goes to
 * {@code observation-uploads-dlq} with the reason, and never blocks its partition.
 */
@ApplicationScoped
public class UploadConsumer {
    private static final Logger LOG = Logger.getLogger(UploadConsumer.class);
    static final String DLQ_REASON = "jhe-dlq-reason";
    static final String DLQ_EXCEPTION = "jhe-dlq-exception";
    /** SQLSTATE classes that a retry cannot fix: data exceptions, integrity violations, syntax or access rules. */
    private static final Set<String> DETERMINISTIC_SQL_CLASSES = Set.of("22", "23", "42", "2B", "2D", "P0", "XX");

    private final UploadService service;
    private final ObjectMapper json;
    private final MutinyEmitter<String> results;
    private final MutinyEmitter<byte[]> deadLetters;
    private final UploadMetrics metrics;

    public UploadConsumer(UploadService service, ObjectMapper json,
            @Channel("observation-upload-results") MutinyEmitter<String> results,
            @Channel("observation-uploads-dlq") MutinyEmitter<byte[]> deadLetters, UploadMetrics metrics) {
        this.service = service;
        this.json = json;
        this.results = results;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    @Incoming("observation-uploads")
    public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
        long started = System.nanoTime();
        UploadEnvelope upload;
        try {
            upload = readEnvelope(record.value());
        } catch (IllegalArgumentException e) {
            LOG.warnf("upload record %s-%d@%d is unreadable: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return deadLetter(record, "unreadable-envelope", e);
        }
        return service.ingest(upload)
                .onFailure(UploadConsumer::isTransient).invoke(e -> LOG.warnf(
                        "upload %s: will retry after %s", upload.uploadId(), e.toString()))
                .onFailure(UploadConsumer::isTransient).retry()
                .withBackOff(Duration.ofMillis(250), Duration.ofSeconds(10)).indefinitely()
                .onFailure().retry().withBackOff(Duration.ofMillis(100)).atMost(2)
                .invoke(ingested -> {
                    metrics.upload(upload.bundleType(), ingested.replayed() ? "replayed" : outcomeOf(ingested.result()));
                    metrics.processed(Duration.ofNanos(System.nanoTime() - started));
                    // the outcome is recorded with the observations: the record is done once that transaction has
                    // committed, and the next one need not wait for the broker to take the outcome (fhir-service
                    // also reads it from the store when it does not arrive)
                    publish(ingested.result()).subscribe().with(sent -> {
                    }, failure -> LOG.errorf(failure, "upload %s: outcome not produced", upload.uploadId()));
                })
                .replaceWithVoid()
                .onFailure().recoverWithUni(e -> {
                    LOG.errorf(e, "upload %s could not be processed; sending it to the dead-letter topic",
                            upload.uploadId());
                    return publish(failed(upload)).chain(() -> deadLetter(record, "processing-failed", e));
                });
    }

    /** Produces the outcome and completes once the broker has it; retried until it does. */
    Uni<Void> publish(UploadResult result) {
        String value = write(result);
        return Uni.createFrom().deferred(() -> results.sendMessage(Message.of(value).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(result.uploadId().toString()).build())))
                .onFailure().invoke(e -> LOG.warnf("upload %s: outcome not produced yet (%s)", result.uploadId(),
                        e.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(250), Duration.ofSeconds(10)).indefinitely();
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
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not an upload envelope: "
                    + (e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage()));
        }
        if (upload == null || upload.version() != UploadEnvelope.CURRENT_VERSION || upload.uploadId() == null
                || upload.entries() == null || upload.uploaderUserId() <= 0
                || !(UploadEnvelope.BATCH.equals(upload.bundleType())
                        || UploadEnvelope.TRANSACTION.equals(upload.bundleType()))) {
            throw new IllegalArgumentException("not a version " + UploadEnvelope.CURRENT_VERSION
                    + " upload envelope");
        }
        return upload;
    }

    /** Whether retrying can help: an unreachable database or broker, a timeout, a concurrent identifier. */
    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof com.fasterxml.jackson.core.JacksonException || t instanceof IllegalStateException
                    || t instanceof IllegalArgumentException) {
                return false;
            }
            if (t instanceof PgException pg) {
                String state = pg.getSqlState();
                return state == null || state.length() < 2
                        || !DETERMINISTIC_SQL_CLASSES.contains(state.substring(0, 2));
            }
            if (t instanceof UploadRepository.IdentifierTakenException || t instanceof TimeoutException
                    || t instanceof java.io.IOException || t instanceof io.vertx.core.VertxException
                    || t instanceof io.vertx.sqlclient.ClosedConnectionException
                    || t.getClass().getName().startsWith("io.vertx.core.impl.NoStackTraceThrowable")
                    || t.getClass().getName().equals("io.vertx.core.impl.NoStackTraceException")) {
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

    private static UploadResult failed(UploadEnvelope upload) {
        return new UploadResult(upload.uploadId(), upload.uploaderUserId(), upload.bundleType(), UploadResult.FAILED,
                Instant.now(), Collections.nCopies(upload.entries().size(),
                        EntryOutcome.failed(500, "exception", "The upload could not be processed; nothing was stored.")));
    }

    private String write(UploadResult result) {
        try {
            return json.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
