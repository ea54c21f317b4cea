package org.jupyterhealth.exchange.ingest.resource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.IntegerType;
import org.hl7.fhir.r5.model.Resource;
import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.common.fhir.ResourceStore;
import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.common.upload.UploadEnvelope;
import org.jupyterhealth.exchange.ingest.config.IngestConfig;
import org.jupyterhealth.exchange.ingest.resource.CheckedResource.Operation;
import org.jupyterhealth.exchange.ingest.resource.FhirSourceClient.FhirSource;
import org.jupyterhealth.exchange.ingest.resource.ResourceRepository.Current;
import org.jupyterhealth.exchange.ingest.resource.ResourceRepository.Write;
import org.jupyterhealth.exchange.ingest.resource.ResourceRepository.Written;
import org.jupyterhealth.exchange.ingest.upload.AccessDecisionClient;
import org.jupyterhealth.exchange.ingest.upload.AccessDecisionClient.Decision;
import org.jupyterhealth.exchange.ingest.upload.AccessDecisionClient.Item;
import org.jupyterhealth.exchange.ingest.upload.AccessDecisionClient.Question;
import org.jupyterhealth.exchange.ingest.upload.DecisionCache;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Ingests the entries of an upload that belong to the FHIR resource store (docs/compatibility.md#fhir-resource-store):
 * checks each one, resolves the FHIR source it is written through (admin-service's, whose patient becomes the
 * resource's), asks admin-service for the write decision of the type's scope ({@code resource-types|<Type>}: the
 * writer's right to the patient and the patient's consent) in one call, checks {@code If-Match} against the stored
 * version, and writes the accepted ones within the upload's transaction. Without an answer from admin-service nothing
 * is decided (fail closed).
 */
@ApplicationScoped
public class ResourceIngest {
    private static final Logger LOG = Logger.getLogger(ResourceIngest.class);

    /**
     * The store entries of an upload, decided: failures by entry index, and the accepted writes.
     */
    public record Prepared(Map<Integer, EntryOutcome> failures, List<Write> writes) {
        public static final Prepared NONE = new Prepared(Map.of(), List.of());

        public boolean failed() {
            return !failures.isEmpty();
        }
    }

    private static final int CHECKERS = Runtime.getRuntime().availableProcessors();
    private static final int MIN_ENTRIES_PER_CHECKER = 25;

    /** A source as admin-service described it, kept as briefly as an access decision. */
    private record KeptSource(FhirSource source, long expiresAt) {
    }

    private final Map<Long, KeptSource> keptSources = new ConcurrentHashMap<>();

    /** A source that does not exist (admin-service's 404). */
    private static final FhirSource UNKNOWN = new FhirSource(null, null, null, null, null);

    private final ResourceChecker checker;
    private final ResourceRepository repository;
    private final FhirSourceClient sources;
    private final AccessDecisionClient decisions;
    private final DecisionCache decisionCache;
    private final IngestConfig config;
    private final FhirContext fhir;

    public ResourceIngest(ResourceChecker checker, ResourceRepository repository, @RestClient FhirSourceClient sources,
            @RestClient AccessDecisionClient decisions, DecisionCache decisionCache, IngestConfig config,
            FhirContext fhir) {
        this.checker = checker;
        this.repository = repository;
        this.sources = sources;
        this.decisions = decisions;
        this.decisionCache = decisionCache;
        this.config = config;
        this.fhir = fhir;
    }

    /** Decides the store entries at these indexes; a null item when admin-service could not answer. */
    public Uni<Prepared> prepare(UploadEnvelope upload, List<Integer> indexes) {
        if (indexes.isEmpty()) {
            return Uni.createFrom().item(Prepared.NONE);
        }
        return check(upload, indexes)
                .chain(checked -> repository.findCurrent(checked.stream()
                                .filter(c -> c.rejected() == null && c.id() != null).map(CheckedResource::id)
                                .distinct().toList())
                        .chain(current -> resolveSources(checked, current)
                                .chain(found -> decide(upload, checked, current, found))))
                .onFailure().recoverWithItem(failure -> {
                    if (failure instanceof ResourceRepository.ResourceChangedException) {
                        throw (ResourceRepository.ResourceChangedException) failure;
                    }
                    LOG.warnf(failure, "upload %s: no decision on its store entries (%s)", upload.uploadId(),
                            failure.toString());
                    return null;
                });
    }

    /**
     * Parsing and checking is CPU work: on worker threads, a large upload split in as many parts as there are
     * processors (as the observation checks are).
     */
    private Uni<List<CheckedResource>> check(UploadEnvelope upload, List<Integer> indexes) {
        int parts = Math.max(1, Math.min(CHECKERS, indexes.size() / MIN_ENTRIES_PER_CHECKER));
        List<Uni<List<CheckedResource>>> ranges = new ArrayList<>(parts);
        for (int part = 0; part < parts; part++) {
            List<Integer> range = indexes.subList(indexes.size() * part / parts, indexes.size() * (part + 1) / parts);
            ranges.add(Uni.createFrom().item(() -> range.stream().map(i -> checker.check(i, upload.entries().get(i)))
                    .toList()).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
        }
        return Uni.join().all(ranges).andFailFast().map(results -> {
            List<CheckedResource> checked = new ArrayList<>(indexes.size());
            results.forEach(checked::addAll);
            return checked;
        });
    }

    /** Writes the accepted entries within the upload's transaction: each entry's outcome, by index. */
    public Uni<Map<Integer, EntryOutcome>> write(SqlConnection tx, UploadEnvelope upload, Prepared prepared) {
        if (prepared.writes().isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return repository.write(tx, upload.uploadId(), upload.uploaderUserId(), prepared.writes()).map(written -> {
            Map<Integer, EntryOutcome> outcomes = new HashMap<>();
            for (Write w : prepared.writes()) {
                Written done = written.get(w.index());
                int status = w.operation() == Operation.DELETE ? 204 : done.created() ? 201 : 200;
                outcomes.put(w.index(), EntryOutcome.stored(status, done.type(), done.id().toString(),
                        done.versionId()));
            }
            return outcomes;
        });
    }

    /** The source of each entry (the stored resource's for an update or delete), looked up once per source. */
    private Uni<Map<Long, FhirSource>> resolveSources(List<CheckedResource> checked, Map<String, Current> current) {
        Set<Long> ids = new LinkedHashSet<>();
        for (CheckedResource c : checked) {
            Long source = sourceOf(c, current);
            if (c.rejected() == null && source != null) {
                ids.add(source);
            }
        }
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        Map<Long, FhirSource> known = new HashMap<>();
        long now = System.nanoTime();
        ids.removeIf(id -> {
            KeptSource kept = keptSources.get(id);
            if (kept != null && kept.expiresAt() - now > 0) {
                known.put(id, kept.source());
                return true;
            }
            return false;
        });
        if (ids.isEmpty()) {
            return Uni.createFrom().item(known);
        }
        List<Uni<Map.Entry<Long, FhirSource>>> lookups = ids.stream().map(id -> sources.find(id)
                .ifNoItem().after(config.decisionTimeout()).fail()
                .map(found -> Map.entry(id, found == null ? UNKNOWN : found))
                .onFailure(e -> e instanceof WebApplicationException w && w.getResponse().getStatus() == 404)
                .recoverWithItem(Map.entry(id, UNKNOWN))
                .onFailure(e -> !(e instanceof WebApplicationException w && w.getResponse().getStatus() == 404))
                .retry().withBackOff(Duration.ofMillis(200)).atMost(2)).toList();
        return Uni.join().all(lookups).andFailFast().map(entries -> {
            Map<Long, FhirSource> found = new HashMap<>(known);
            // kept at most as long as an upload decision (docs/architecture.md#access-decisions)
            long ttl = Math.min(config.decisionCache().toNanos(), 1_000_000_000L);
            if (keptSources.size() > 10_000) {
                keptSources.clear();
            }
            entries.forEach(e -> {
                found.put(e.getKey(), e.getValue());
                if (ttl > 0) {
                    keptSources.put(e.getKey(), new KeptSource(e.getValue(), System.nanoTime() + ttl));
                }
            });
            return found;
        });
    }

    private static Long sourceOf(CheckedResource c, Map<String, Current> current) {
        if (c.operation() == Operation.CREATE || c.operation() == null) {
            return c.sourceId();
        }
        Current stored = current.get(c.id());
        return stored == null ? null : stored.sourceId();
    }

    private Uni<Prepared> decide(UploadEnvelope upload, List<CheckedResource> checked, Map<String, Current> current,
            Map<Long, FhirSource> found) {
        Map<Integer, EntryOutcome> failures = new LinkedHashMap<>();
        List<CheckedResource> pending = new ArrayList<>();
        for (CheckedResource c : checked) {
            EntryOutcome failure = localFailure(c, current, found);
            if (failure != null) {
                failures.put(c.index(), failure);
            } else {
                pending.add(c);
            }
        }
        if (pending.isEmpty()) {
            return Uni.createFrom().item(new Prepared(failures, List.of()));
        }
        long user = upload.uploaderUserId();
        Map<Item, Decision> answers = new HashMap<>();
        Set<Item> asked = new LinkedHashSet<>();
        for (CheckedResource c : pending) {
            FhirSource source = found.get(sourceOf(c, current));
            Item item = new Item(source.patientId(), ResourceStore.SCOPE_SYSTEM, c.type(), source.dataSourceId());
            Decision known = decisionCache.find(user, item);
            if (known != null) {
                answers.put(item, known);
            } else {
                asked.add(item);
            }
        }
        Uni<Map<Item, Decision>> answered;
        if (asked.isEmpty()) {
            answered = Uni.createFrom().item(answers);
        } else {
            List<Item> items = List.copyOf(asked);
            answered = decisions.decideUploads(new Question(user, items))
                    .ifNoItem().after(config.decisionTimeout()).fail()
                    .onFailure().retry().withBackOff(Duration.ofMillis(200)).atMost(2)
                    .map(answer -> {
                        if (answer == null || answer.entries() == null || answer.entries().size() != items.size()
                                || answer.entries().stream().anyMatch(d -> d == null || d.status() >= 500)) {
                            throw new IllegalStateException("admin-service answered out of contract");
                        }
                        for (int i = 0; i < items.size(); i++) {
                            decisionCache.keep(user, items.get(i), answer.entries().get(i));
                            answers.put(items.get(i), answer.entries().get(i));
                        }
                        return answers;
                    });
        }
        return answered.chain(decided -> Uni.createFrom().item(() -> writes(pending, current, found, decided,
                failures)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }

    /** The failure decided without admin-service's write decision: not known, no or an unknown source. */
    private static EntryOutcome localFailure(CheckedResource c, Map<String, Current> current,
            Map<Long, FhirSource> found) {
        if (c.rejected() != null) {
            return c.rejected();
        }
        if (c.operation() != Operation.CREATE) {
            Current stored = current.get(c.id());
            if (stored == null || !stored.type().equals(c.type())) {
                return EntryOutcome.failed(404, "not-found", c.type() + "/" + c.id() + " is not known.");
            }
            if (c.sourceId() != null && c.sourceId() != stored.sourceId()) {
                return EntryOutcome.failedAt(400, "invalid", "The FHIR source named is not the stored resource's "
                        + "(FhirSource " + stored.sourceId() + ").", c.type() + ".meta.source");
            }
        } else if (c.sourceId() == null) {
            return EntryOutcome.failedAt(400, "invalid", "A FHIR source is required: the "
                    + ResourceStore.SOURCE_HEADER + " header or meta.source " + ResourceStore.SOURCE_PREFIX
                    + "<id>.", c.type() + ".meta.source");
        }
        FhirSource source = found.get(sourceOf(c, current));
        if (source == null || source == UNKNOWN || source.patientId() == null) {
            return EntryOutcome.failedAt(400, "invalid", "FhirSource '" + sourceOf(c, current)
                    + "' does not exist.", c.type() + ".meta.source");
        }
        return null;
    }

    /** The accepted writes, with their resources as stored; refused entries added to {@code failures}. */
    private Prepared writes(List<CheckedResource> pending, Map<String, Current> current, Map<Long, FhirSource> found,
            Map<Item, Decision> decided, Map<Integer, EntryOutcome> failures) {
        IParser parser = fhir.newJsonParser();
        List<Write> writes = new ArrayList<>();
        Set<String> upstreamClaimed = new HashSet<>();
        for (CheckedResource c : pending) {
            FhirSource source = found.get(sourceOf(c, current));
            Decision decision = decided.get(new Item(source.patientId(), ResourceStore.SCOPE_SYSTEM, c.type(),
                    source.dataSourceId()));
            if (decision == null || !decision.allowed()) {
                failures.put(c.index(), refusal(decision));
                continue;
            }
            Current stored = c.id() == null ? null : current.get(c.id());
            if (c.ifMatch() != null && stored != null && c.ifMatch() != stored.versionId()) {
                failures.put(c.index(), EntryOutcome.failed(412, "conflict", "If-Match names version " + c.ifMatch()
                        + "; the stored version is " + stored.versionId() + "."));
                continue;
            }
            if (c.operation() == Operation.DELETE) {
                writes.add(new Write(c.index(), Operation.DELETE, UUID.fromString(c.id()), c.type(),
                        stored.patientId(), stored.sourceId(), null, stored.versionId(), null, null, null, List.of()));
                continue;
            }
            Resource resource = c.resource();
            String upstream = c.upstreamId();
            if (upstream != null && upstream.length() > ResourceChecker.MAX_UPSTREAM_ID) {
                // too long to be a FHIR id: kept as an identifier of the source's server
                var identifier = resource.getNamedProperty("identifier") == null ? null
                        : resource.addChild("identifier");
                if (identifier instanceof org.hl7.fhir.r5.model.Identifier id) {
                    id.setSystem(source.fhirBaseUrl()).setValue(upstream);
                }
                upstream = null;
            }
            if (upstream != null && !upstreamClaimed.add(source.id() + "|" + c.type() + "|" + upstream)) {
                failures.put(c.index(), EntryOutcome.failedAt(409, "duplicate", "Another entry of the upload writes "
                        + c.type() + " with the same id.", c.type() + ".id"));
                continue;
            }
            resource.setId((String) null);
            resource.getMeta().setVersionId(null).setLastUpdated(null).setSource(ResourceStore.SOURCE_PREFIX
                    + source.id());
            if (resource instanceof org.hl7.fhir.r5.model.DomainResource domain) {
                domain.getExtension().removeIf(e -> ResourceStore.PATIENT_ID_EXTENSION.equals(e.getUrl()));
                domain.addExtension(new Extension(ResourceStore.PATIENT_ID_EXTENSION,
                        new IntegerType(source.patientId().intValue())));
            }
            SearchValues.Values values = SearchValues.of(resource);
            String json = parser.encodeResourceToString(resource);
            UUID id = c.operation() == Operation.CREATE ? UUID.randomUUID() : UUID.fromString(c.id());
            writes.add(new Write(c.index(), c.operation(), id, c.type(), source.patientId(), source.id(), upstream,
                    stored == null ? null : stored.versionId(), json, values.clinicalDate(), values.status(),
                    values.tokens()));
        }
        return new Prepared(failures, writes);
    }

    private static EntryOutcome refusal(Decision decision) {
        if (decision == null) {
            return EntryOutcome.failed(503, "transient", "The write decision is incomplete.");
        }
        int status = decision.status() >= 400 && decision.status() < 500 ? decision.status() : 400;
        String code = switch (status) {
            case 403 -> "forbidden";
            case 404 -> "not-found";
            default -> "invalid";
        };
        return EntryOutcome.failed(status, code, decision.detail() == null ? "The entry was refused."
                : decision.detail());
    }
}
