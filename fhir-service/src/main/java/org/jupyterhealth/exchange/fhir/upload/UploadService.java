package org.jupyterhealth.exchange.fhir.upload;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.common.upload.UploadEntry;
import org.jupyterhealth.exchange.common.upload.UploadEnvelope;
import org.jupyterhealth.exchange.common.upload.UploadResult;
import org.jupyterhealth.exchange.fhir.upload.BundleReader.Read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Accepts uploads: reads the envelope, produces it to {@code observation-uploads} (key: the first entry's patient)
 * and, unless the client asked for an asynchronous answer, waits (bounded) for its outcome. The outcome arrives
 * from the results topic; the store is also looked at, so that an outcome produced while this replica was not yet
 * listening is not missed. An upload still running when the wait ends is answered with its status URL.
 */
@ApplicationScoped
public class UploadService {
    private static final Logger LOG = Logger.getLogger(UploadService.class);
    private static final Duration STORE_LOOK_EVERY = Duration.ofSeconds(1);

    /** What the client is told: the finished outcome, or that the upload is running. */
    public sealed interface Answer permits Finished, Pending {
        UUID uploadId();
    }

    /**
     * @param submitted the uploaded entries, in order, when this replica received the upload (null for an outcome
     *                  read back later): each created entry's stored resource is its submitted resource with the id
     *                  and {@code meta} ingest-service gave it
     */
    public record Finished(UUID uploadId, UploadResult result, List<UploadEntry> submitted) implements Answer {
    }

    /** Accepted, its outcome not known yet; {@code submitted} is what was sent (for the audit trail's patients). */
    public record Pending(UUID uploadId, List<UploadEntry> submitted) implements Answer {
    }

    private final BundleReader reader;
    private final UploadResults results;
    private final UploadReceiptRepository receipts;
    private final MutinyEmitter<String> uploads;
    private final ObjectMapper json;
    private final UploadConfig config;
    private final MeterRegistry registry;
    private final Timer answered;

    public UploadService(BundleReader reader, UploadResults results, UploadReceiptRepository receipts,
            @Channel("observation-uploads") MutinyEmitter<String> uploads, ObjectMapper json, UploadConfig config,
            MeterRegistry registry) {
        this.reader = reader;
        this.results = results;
        this.receipts = receipts;
        this.uploads = uploads;
        this.json = json;
        this.config = config;
        this.registry = registry;
        this.answered = Timer.builder("jhe.fhir.upload.answer")
                .description("Time from receiving an upload to answering it").publishPercentileHistogram()
                .register(registry);
    }

    /** Uploads a batch or transaction Bundle; called on the request's event loop, answered there. */
    public Uni<Answer> uploadBundle(byte[] body, long uploaderUserId, String requestId, boolean async) {
        return uploadBundle(body, uploaderUserId, requestId, async, null);
    }

    /**
     * Uploads a Bundle whose request named a FHIR source ({@code X-JHE-FHIR-Source-ID}): every entry is written
     * through it, whatever its own {@code meta.source} says.
     */
    public Uni<Answer> uploadBundle(byte[] body, long uploaderUserId, String requestId, boolean async,
            Long fhirSourceId) {
        return onRequestContext(read(() -> withSource(reader.readBundle(body, uploaderUserId, requestId),
                fhirSourceId)).chain(read -> upload(read, async)));
    }

    /** Uploads one resource posted to its type (a one-entry batch), written through the source the request names. */
    public Uni<Answer> uploadResource(byte[] body, long uploaderUserId, String requestId, boolean async,
            Long fhirSourceId) {
        return onRequestContext(read(() -> withSource(reader.readResource(body, uploaderUserId, requestId),
                fhirSourceId)).chain(read -> upload(read, async)));
    }

    private static Read withSource(Read read, Long fhirSourceId) {
        if (fhirSourceId == null) {
            return read;
        }
        UploadEnvelope u = read.upload();
        return new Read(new UploadEnvelope(u.version(), u.uploadId(), u.uploaderUserId(), u.bundleType(),
                u.receivedAt(), u.requestId(), u.entries().stream().map(e -> e.withFhirSource(fhirSourceId))
                        .toList()), read.key());
    }

    /** Uploads one Observation (a one-entry batch); called on the request's event loop, answered there. */
    public Uni<Answer> uploadResource(byte[] body, long uploaderUserId, String requestId, boolean async) {
        return onRequestContext(read(() -> reader.readResource(body, uploaderUserId, requestId))
                .chain(read -> upload(read, async)));
    }

    /**
     * Uploads one entry of the FHIR resource store (a create, update or delete) as a one-entry batch, keyed by
     * {@code key} (the patient when it is known); called on the request's event loop, answered there.
     */
    public Uni<Answer> uploadEntry(UploadEntry entry, String key, long uploaderUserId, String requestId) {
        Read read = new Read(new UploadEnvelope(UploadEnvelope.CURRENT_VERSION, UUID.randomUUID(), uploaderUserId,
                UploadEnvelope.BATCH, Instant.now(), requestId, List.of(entry)), key);
        return onRequestContext(upload(read, false));
    }

    /**
     * Deletes one observation of the uploader's, through the upload topic (keyed by the observation's patient, as its
     * uploads are) and ingest-service, which decides and writes; called on the request's event loop, answered there.
     */
    public Uni<Answer> deleteObservation(long observationId, long patientId, long uploaderUserId, String requestId) {
        Read read = new Read(UploadEnvelope.deletion(uploaderUserId, observationId, requestId),
                Long.toString(patientId));
        return onRequestContext(upload(read, false));
    }

    /**
     * Indexes the references of the resources written through one of the uploader's FHIR sources, through the upload
     * topic (keyed by the uploader, as its single writes of the store are) and ingest-service, which decides whether
     * the source is the uploader's and writes; called on the request's event loop, answered there.
     */
    public Uni<Answer> indexRefs(long fhirSourceId, long uploaderUserId, String requestId) {
        Read read = new Read(UploadEnvelope.indexRefs(uploaderUserId, fhirSourceId, requestId),
                Long.toString(uploaderUserId));
        return onRequestContext(upload(read, false));
    }

    /** What is known of an upload, for the status URL (null item when unknown). */
    public Uni<UploadReceiptRepository.Known> find(UUID uploadId) {
        return receipts.findUpload(uploadId);
    }

    public UploadResult readResult(String resultJson) {
        try {
            return json.readValue(resultJson, UploadResult.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable upload outcome", e);
        }
    }

    /** Reading a large body is CPU work: on a worker thread, never the event loop. */
    private static Uni<Read> read(Supplier<Read> reading) {
        return Uni.createFrom().item(reading).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /**
     * The answer (or failure) delivered on the context of the request that asked, whichever thread produced it (a
     * worker, a Kafka consumer, a timer): the HTTP layer resumes the request where it was suspended.
     */
    private static <T> Uni<T> onRequestContext(Uni<T> answer) {
        Context request = Vertx.currentContext();
        return request == null ? answer : answer.emitOn(task -> request.runOnContext(ignored -> task.run()));
    }

    private Uni<Answer> upload(Read read, boolean async) {
        UploadEnvelope upload = read.upload();
        long started = System.nanoTime();
        if (upload.entries().isEmpty()) {
            UploadResult empty = new UploadResult(upload.uploadId(), upload.uploaderUserId(), upload.bundleType(),
                    UploadResult.PROCESSED, Instant.now(), List.of());
            return Uni.createFrom().item(new Finished(upload.uploadId(), empty, upload.entries()));
        }
        Uni<Answer> answer;
        if (async) {
            answer = receipts.insertReceipt(upload)
                    .chain(() -> send(read).onFailure().call(() -> receipts.deleteReceipt(upload.uploadId())))
                    .map(sent -> new Pending(upload.uploadId(), upload.entries()));
        } else {
            CompletableFuture<UploadResult> outcome = results.expect(upload.uploadId());
            answer = send(read)
                    .chain(() -> awaitOutcome(upload.uploadId(), outcome))
                    .chain(result -> result != null
                            ? Uni.createFrom().<Answer>item(new Finished(upload.uploadId(), result, upload.entries()))
                            : receipts.insertReceipt(upload).map(x -> new Pending(upload.uploadId(), upload.entries())))
                    .eventually(() -> results.forget(upload.uploadId()));
        }
        return answer.invoke(a -> {
            answered.record(Duration.ofNanos(System.nanoTime() - started));
            registry.counter("jhe.fhir.uploads", "bundle_type", upload.bundleType(), "answer",
                    a instanceof Finished f ? Integer.toString(f.result().status()) : "202").increment();
            registry.counter("jhe.fhir.upload.entries").increment(upload.entries().size());
        });
    }

    /** Produces the upload; fails with a 503 when the broker does not take it in time. */
    private Uni<Void> send(Read read) {
        String value;
        try {
            value = json.writeValueAsString(read.upload());
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        Message<String> message = Message.of(value).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(read.key()).build());
        return Uni.createFrom().deferred(() -> uploads.sendMessage(message))
                .ifNoItem().after(config.sendTimeout()).fail()
                .onFailure().transform(e -> {
                    LOG.warnf("upload %s not accepted by the broker: %s", read.upload().uploadId(), e.toString());
                    registry.counter("jhe.fhir.uploads", "bundle_type", read.upload().bundleType(), "answer", "503")
                            .increment();
                    return new UploadRejectedException(503, "transient",
                            "The upload cannot be accepted at the moment; nothing was stored. Try again later.");
                });
    }

    /**
     * The outcome from the results topic, or from the store; a null item when the wait is over, or when the service
     * begins to stop (the upload completes anyway, and its status URL gives the outcome).
     */
    private Uni<UploadResult> awaitOutcome(UUID uploadId, CompletableFuture<UploadResult> outcome) {
        Multi<Optional<UploadResult>> fromTopic = Uni.createFrom().completionStage(outcome).toMulti()
                .map(Optional::of);
        Multi<Optional<UploadResult>> fromStore = Multi.createFrom().ticks().startingAfter(STORE_LOOK_EVERY)
                .every(STORE_LOOK_EVERY)
                .onOverflow().drop()
                .onItem().transformToUniAndConcatenate(tick -> receipts.findResult(uploadId)
                        .onFailure().recoverWithNull())
                .filter(Objects::nonNull)
                .map(this::readResult)
                .map(Optional::of);
        Multi<Optional<UploadResult>> stopping = Uni.createFrom().completionStage(results.stopping()).toMulti()
                .map(stopped -> Optional.<UploadResult>empty());
        // the first of the three; merged streams rather than Uni.combine().any(), which cancels the loser's
        // CompletableFuture, and so builds a CancellationException, on every upload
        return Multi.createBy().merging().streams(fromTopic, fromStore, stopping).toUni()
                .ifNoItem().after(config.responseTimeout()).recoverWithItem(Optional.empty())
                .map(answer -> answer.orElse(null));
    }
}
