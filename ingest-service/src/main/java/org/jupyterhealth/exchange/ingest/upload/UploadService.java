package org.jupyterhealth.exchange.ingest.upload;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.common.upload.UploadEntry;
import org.jupyterhealth.exchange.common.upload.UploadEnvelope;
import org.jupyterhealth.exchange.common.upload.UploadResult;
import org.jupyterhealth.exchange.ingest.config.IngestConfig;
import org.jupyterhealth.exchange.ingest.resource.ResourceChecker;
import org.jupyterhealth.exchange.ingest.resource.ResourceIngest;
import org.jupyterhealth.exchange.ingest.resource.ResourceIngest.Prepared;
import org.jupyterhealth.exchange.ingest.resource.ResourceRepository.ResourceChangedException;
import org.jupyterhealth.exchange.ingest.upload.AccessDecisionClient.Decision;
import org.jupyterhealth.exchange.ingest.upload.AccessDecisionClient.Item;
import org.jupyterhealth.exchange.ingest.upload.AccessDecisionClient.Question;
import org.jupyterhealth.exchange.ingest.upload.CheckedEntry.Identifier;
import org.jupyterhealth.exchange.ingest.upload.UploadDecider.Verdict;
import org.jupyterhealth.exchange.ingest.upload.UploadRepository.IdentifierTakenException;
import org.jupyterhealth.exchange.ingest.upload.UploadRepository.NewObservation;
import org.jupyterhealth.exchange.ingest.upload.UploadRepository.UploadRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Ingests one upload: checks every entry (docs/compatibility.md#upload-checks, in that order), asks admin-service for
 * the upload decisions in one call, and stores the accepted observations with the upload's outcome in one database
 * transaction. An upload already recorded is answered with its recorded outcome and stores nothing (redelivery after a
 * crash). Without an answer from admin-service nothing is stored and the outcome says so (fail closed).
 */
@ApplicationScoped
public class UploadService {
    private static final Logger LOG = Logger.getLogger(UploadService.class);
    private static final int MAX_IDENTIFIER_RACES = 5;
    private static final int CHECKERS = Runtime.getRuntime().availableProcessors();
    /** Below this many entries per part, splitting an upload's checks costs more than it saves. */
    private static final int MIN_ENTRIES_PER_CHECKER = 25;
    /** How often an upload is decided again when a stored resource it updates changes meanwhile. */
    private static final int MAX_RESOURCE_RACES = 5;
    /**
     * Stands, among the observation checks, for an entry of the FHIR resource store ({@link ResourceIngest} decides
     * and writes it); compared by identity.
     */
    private static final EntryOutcome IN_STORE = EntryOutcome.failed(202, "informational", "resource store");

    /** The outcome of {@link #ingest}: the result and whether it was recorded earlier. */
    public record Ingested(UploadResult result, boolean replayed) {
    }

    /** The upload had been recorded by another delivery meanwhile. */
    private static final class AlreadyRecordedException extends RuntimeException {
        AlreadyRecordedException() {
            super("upload already recorded", null, false, false);
        }
    }

    private final EntryChecker checker;
    private final AccessDecisionClient decisions;
    private final UploadRepository repository;
    private final ObjectMapper json;
    private final UploadMetrics metrics;
    private final IngestConfig config;
    private final DecisionCache decisionCache;
    private final ResourceIngest resources;

    public UploadService(EntryChecker checker, @RestClient AccessDecisionClient decisions,
            UploadRepository repository, ObjectMapper json, UploadMetrics metrics, IngestConfig config,
            DecisionCache decisionCache, ResourceIngest resources) {
        this.decisionCache = decisionCache;
        this.resources = resources;
        this.checker = checker;
        this.decisions = decisions;
        this.repository = repository;
        this.json = json;
        this.metrics = metrics;
        this.config = config;
    }

    public Uni<Ingested> ingest(UploadEnvelope upload) {
        // a redelivered upload is recognised when its outcome is recorded (the upload id is the key), and is then
        // answered with the outcome recorded the first time: no look-up ahead of the common case
        // entries of the FHIR resource store are decided by ResourceIngest; the others by the observation checks
        List<Integer> inStore = new ArrayList<>();
        for (int i = 0; i < upload.entries().size(); i++) {
            if (ResourceChecker.isStoreEntry(upload.entries().get(i))) {
                inStore.add(i);
            }
        }
        Set<Integer> storeIndexes = Set.copyOf(inStore);
        return Uni.createFrom().deferred(() -> resources.prepare(upload, inStore)
                .chain(prepared -> prepared == null ? recordUnavailable(upload) : checkEntries(upload, storeIndexes)
                        .chain(checked -> askDecisions(upload, checked)
                                .chain(answer -> answer == null
                                        ? recordUnavailable(upload)
                                        : decideAndStore(upload, checked, answer, prepared, 0)))))
                .onFailure(ResourceChangedException.class).retry().atMost(MAX_RESOURCE_RACES);
    }

    /**
     * The local checks, CPU-bound (FHIR parsing, JSON schemas): on worker threads, a large upload split in as many
     * parts as there are processors, so that its checks do not wait for one core while others are free.
     */
    private Uni<List<CheckedEntry>> checkEntries(UploadEnvelope upload, Set<Integer> inStore) {
        List<UploadEntry> entries = upload.entries();
        if (inStore.size() == entries.size()) {
            List<CheckedEntry> marked = new ArrayList<>(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                marked.add(CheckedEntry.rejected(i, IN_STORE));
            }
            return Uni.createFrom().item(marked);
        }
        int parts = Math.max(1, Math.min(CHECKERS, entries.size() / MIN_ENTRIES_PER_CHECKER));
        List<Uni<List<CheckedEntry>>> ranges = new ArrayList<>(parts);
        for (int part = 0; part < parts; part++) {
            ranges.add(checkRange(entries, entries.size() * part / parts, entries.size() * (part + 1) / parts,
                    inStore));
        }
        return Uni.combine().all().unis(ranges).with(results -> {
            List<CheckedEntry> checked = new ArrayList<>(entries.size());
            for (Object range : results) {
                @SuppressWarnings("unchecked")
                List<CheckedEntry> part = (List<CheckedEntry>) range;
                checked.addAll(part);
            }
            return checked;
        });
    }

    private Uni<List<CheckedEntry>> checkRange(List<UploadEntry> entries, int from, int to, Set<Integer> inStore) {
        return Uni.createFrom().item(() -> {
            List<CheckedEntry> checked = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                checked.add(inStore.contains(i) ? CheckedEntry.rejected(i, IN_STORE) : checker.check(i, entries.get(i)));
            }
            return checked;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /**
     * admin-service's decision for each entry that needs one (null elements for the others), or a null item when
     * admin-service could not answer.
     */
    private Uni<List<Decision>> askDecisions(UploadEnvelope upload, List<CheckedEntry> checked) {
        long user = upload.uploaderUserId();
        List<Decision> aligned = new ArrayList<>(Collections.nCopies(checked.size(), (Decision) null));
        // the distinct questions not answered within the last second, each asked once
        Map<Item, List<Integer>> unanswered = new LinkedHashMap<>();
        for (CheckedEntry entry : checked) {
            if (entry.needsDecision()) {
                Item item = new Item(entry.patientId(), entry.system(), entry.code(), entry.dataSourceId());
                Decision known = decisionCache.find(user, item);
                if (known != null) {
                    aligned.set(entry.index(), known);
                } else {
                    unanswered.computeIfAbsent(item, i -> new ArrayList<>()).add(entry.index());
                }
            }
        }
        if (unanswered.isEmpty()) {
            return Uni.createFrom().item(aligned);
        }
        List<Item> items = List.copyOf(unanswered.keySet());
        return decisions.decideUploads(new Question(user, items))
                .ifNoItem().after(config.decisionTimeout()).fail()
                .onFailure().retry().withBackOff(Duration.ofMillis(200)).atMost(2)
                .map(answer -> {
                    if (answer == null || answer.entries() == null || answer.entries().size() != items.size()
                            || answer.entries().stream().anyMatch(d -> d == null || d.status() >= 500)) {
                        throw new IllegalStateException("admin-service answered out of contract");
                    }
                    for (int i = 0; i < items.size(); i++) {
                        Decision decision = answer.entries().get(i);
                        decisionCache.keep(user, items.get(i), decision);
                        for (int index : unanswered.get(items.get(i))) {
                            aligned.set(index, decision);
                        }
                    }
                    return aligned;
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("upload %s: no upload decision from admin-service (%s)", upload.uploadId(),
                            failure.toString());
                    return null;
                });
    }

    /**
     * Decides every entry and stores the accepted ones. When every entry passes with no identifier stored yet (the
     * common upload of new data), the store is not asked first: the insert itself finds a stored identifier (its
     * transaction is then rolled back) and the upload is decided again with the stored identifiers looked up.
     */
    private Uni<Ingested> decideAndStore(UploadEnvelope upload, List<CheckedEntry> checked, List<Decision> answer,
            Prepared prepared, int attempt) {
        if (attempt == 0) {
            List<Verdict> optimistic = UploadDecider.decide(checked, answer, Set.of());
            if (optimistic.stream().allMatch(v -> v.accepted() || v.failure() == IN_STORE)) {
                return store(upload, optimistic, prepared).onFailure(IdentifierTakenException.class)
                        .recoverWithUni(e -> decideAndStore(upload, checked, answer, prepared, 1));
            }
        }
        Set<Identifier> identifiers = new LinkedHashSet<>();
        checked.forEach(entry -> identifiers.addAll(entry.identifiers()));
        return repository.findStoredIdentifiers(identifiers).chain(existing -> {
            List<Verdict> verdicts = UploadDecider.decide(checked, answer, existing);
            return store(upload, verdicts, prepared);
        }).onFailure(IdentifierTakenException.class).recoverWithUni(e -> {
            if (attempt >= MAX_IDENTIFIER_RACES) {
                return Uni.createFrom().failure(e);
            }
            return decideAndStore(upload, checked, answer, prepared, attempt + 1);
        });
    }

    private Uni<Ingested> store(UploadEnvelope upload, List<Verdict> verdicts, Prepared prepared) {
        boolean refusedTransaction = upload.transactional() && (prepared.failed()
                || verdicts.stream().anyMatch(v -> !v.accepted() && v.failure() != IN_STORE));
        List<NewObservation> toStore = new ArrayList<>();
        if (!refusedTransaction) {
            for (Verdict verdict : verdicts) {
                if (verdict.accepted()) {
                    CheckedEntry e = verdict.entry();
                    toStore.add(new NewObservation(e.patientId(), verdict.codeId(), e.system(), e.code(),
                            e.dataSourceId(), e.status(), e.omhData(), e.effective().dateTime(),
                            e.effective().periodStart(), e.effective().periodEnd(), e.identifiers()));
                }
            }
        }
        return repository.pool().withTransaction(tx -> repository
                .insertObservations(tx, upload.uploadId(), upload.uploaderUserId(), toStore)
                .chain(ids -> (refusedTransaction ? Uni.createFrom().item(Map.<Integer, EntryOutcome>of())
                        : resources.write(tx, upload, prepared)).map(written -> Map.entry(ids, written)))
                .chain(both -> {
                    List<Long> ids = both.getKey();
                    UploadResult result = resultOf(upload, verdicts, ids, both.getValue(), prepared,
                            refusedTransaction);
                    UploadRecord record = new UploadRecord(upload.uploadId(), upload.uploaderUserId(),
                            upload.bundleType(), result.status(), verdicts.size(),
                            ids.size() + both.getValue().size(), writeResult(result), offset(upload.receivedAt()));
                    return repository.insertUpload(tx, record).map(inserted -> {
                        if (!inserted) {
                            throw new AlreadyRecordedException();
                        }
                        return result;
                    });
                }))
                .map(result -> {
                    count(verdicts);
                    return new Ingested(result, false);
                })
                .onFailure(AlreadyRecordedException.class).recoverWithUni(() -> repository
                        .findResult(upload.uploadId()).map(recorded -> new Ingested(readResult(recorded), true)));
    }

    private static UploadResult resultOf(UploadEnvelope upload, List<Verdict> verdicts, List<Long> ids,
            Map<Integer, EntryOutcome> written, Prepared prepared, boolean refusedTransaction) {
        List<EntryOutcome> outcomes = new ArrayList<>(verdicts.size());
        int status = UploadResult.PROCESSED;
        int next = 0;
        for (int index = 0; index < verdicts.size(); index++) {
            Verdict verdict = verdicts.get(index);
            if (verdict.failure() == IN_STORE) {
                EntryOutcome failure = prepared.failures().get(index);
                if (failure != null) {
                    outcomes.add(failure);
                    if (refusedTransaction && status == UploadResult.PROCESSED) {
                        status = failure.status();
                    }
                } else if (refusedTransaction) {
                    outcomes.add(EntryOutcome.failed(424, "processing",
                            "Not stored: another entry of the transaction failed."));
                } else {
                    outcomes.add(written.get(index));
                }
            } else if (!verdict.accepted()) {
                outcomes.add(verdict.failure());
                if (refusedTransaction && status == UploadResult.PROCESSED) {
                    status = verdict.failure().status();
                }
            } else if (refusedTransaction) {
                outcomes.add(EntryOutcome.failed(424, "processing",
                        "Not stored: another entry of the transaction failed."));
            } else {
                outcomes.add(EntryOutcome.created(ids.get(next++)));
            }
        }
        return new UploadResult(upload.uploadId(), upload.uploaderUserId(), upload.bundleType(), status,
                Instant.now(), outcomes);
    }

    /** Without upload decisions nothing is stored: every entry is answered 503 and the outcome is recorded. */
    private Uni<Ingested> recordUnavailable(UploadEnvelope upload) {
        List<EntryOutcome> outcomes = Collections.nCopies(upload.entries().size(), EntryOutcome.failed(503,
                "transient", "Upload decisions are unavailable; nothing was stored. Try again later."));
        UploadResult result = new UploadResult(upload.uploadId(), upload.uploaderUserId(), upload.bundleType(),
                UploadResult.UNAVAILABLE, Instant.now(), outcomes);
        UploadRecord record = new UploadRecord(upload.uploadId(), upload.uploaderUserId(), upload.bundleType(),
                result.status(), outcomes.size(), 0, writeResult(result), offset(upload.receivedAt()));
        return repository.pool().withTransaction(tx -> repository.insertUpload(tx, record))
                .chain(inserted -> inserted
                        ? Uni.createFrom().item(new Ingested(result, false))
                        : repository.findResult(upload.uploadId()).map(recorded -> new Ingested(readResult(recorded), true)));
    }

    /**
     * Records the failed outcome of an upload that could not be processed, so that its status URL and a waiting
     * request answer it; an outcome recorded before (by an earlier delivery) stands instead.
     *
     * @return the outcome that is recorded
     */
    public Uni<UploadResult> recordFailure(UploadResult failed) {
        UploadRecord record = new UploadRecord(failed.uploadId(), failed.uploaderUserId(), failed.bundleType(),
                failed.status(), failed.entries().size(), 0, writeResult(failed), offset(failed.processedAt()));
        return repository.pool().withTransaction(tx -> repository.insertUpload(tx, record))
                .chain(inserted -> inserted ? Uni.createFrom().item(failed)
                        : repository.findResult(failed.uploadId()).map(this::readResult));
    }

    private void count(List<Verdict> verdicts) {
        for (Verdict verdict : verdicts) {
            if (verdict.failure() == IN_STORE) {
                continue;
            }
            metrics.entry(verdict.accepted() ? 201 : verdict.failure().status());
            if (!verdict.accepted()) {
                metrics.refused(verdict.reason());
            }
        }
    }

    private static OffsetDateTime offset(Instant instant) {
        return (instant == null ? Instant.now() : instant).atOffset(ZoneOffset.UTC);
    }

    public String writeResult(UploadResult result) {
        try {
            return json.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an upload result", e);
        }
    }

    public UploadResult readResult(String recorded) {
        try {
            return json.readValue(recorded, UploadResult.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read a recorded upload result: " + e.getOriginalMessage(), e);
        }
    }
}
