package org.jupyterhealth.exchange.ingest.resource;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.common.fhir.ResourceStore;
import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.common.upload.EntryOutcome.RefsIndexed;
import org.jupyterhealth.exchange.common.upload.UploadEntry;
import org.jupyterhealth.exchange.common.upload.UploadEnvelope;
import org.jupyterhealth.exchange.common.upload.UploadResult;
import org.jupyterhealth.exchange.ingest.config.IngestConfig;
import org.jupyterhealth.exchange.ingest.resource.FhirSourceClient.FhirSource;
import org.jupyterhealth.exchange.ingest.resource.ResourceRepository.Unindexed;
import org.jupyterhealth.exchange.ingest.upload.PatientRecordClient;
import org.jupyterhealth.exchange.ingest.upload.PatientRecordClient.PatientAccount;
import org.jupyterhealth.exchange.ingest.upload.UploadRepository;
import org.jupyterhealth.exchange.ingest.upload.UploadRepository.UploadRecord;
import org.jupyterhealth.exchange.ingest.upload.UploadService;
import org.jupyterhealth.exchange.ingest.upload.UploadService.Ingested;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Reference indexing of a FHIR source ({@link UploadEnvelope#INDEX_REFS}, docs/compatibility.md#fhir-sources): the
 * resources an app copied from one server name each other by that server's ids ({@code Patient/abc}); the store
 * keeps each resource's own id as its upstream id, so every relative reference {@code Type/id} of the source's
 * resources not indexed yet is rewritten to the store's id of the source's resource of that type and upstream id
 * ({@code Patient/<uuid>}), or marked {@code not-found:<id>} when the source wrote no such resource. Each resource is
 * indexed once (a new write of it needs indexing again); one whose references changed is a new version. Only the
 * patient whose source it is may index it; anyone else's source, or none, is answered 404 alike.
 */
@ApplicationScoped
public class ReferenceIndexing {
    private static final Logger LOG = Logger.getLogger(ReferenceIndexing.class);
    /** A relative literal reference: {@code Type/id}, optionally of a version. */
    static final Pattern RELATIVE = Pattern.compile(
            "([A-Z][A-Za-z]{1,63})/([A-Za-z0-9\\-.]{1,64})(?:/_history/[A-Za-z0-9\\-.]{1,64})?");
    static final String NOT_FOUND = "not-found:";
    private static final Pattern TARGET = Pattern.compile("FhirSource/([1-9][0-9]{0,17})");
    /** Resources indexed in one transaction. */
    static final int BATCH = 500;
    /** Resources indexed by one request at most; a larger source is indexed by asking again. */
    public static final int MAX_PER_REQUEST = 10_000;

    private final ResourceRepository resources;
    private final UploadRepository uploads;
    private final UploadService service;
    private final FhirSourceClient sources;
    private final PatientRecordClient patients;
    private final IngestConfig config;
    private final ObjectMapper json;

    public ReferenceIndexing(ResourceRepository resources, UploadRepository uploads, UploadService service,
            @RestClient FhirSourceClient sources, @RestClient PatientRecordClient patients, IngestConfig config,
            ObjectMapper json) {
        this.resources = resources;
        this.uploads = uploads;
        this.service = service;
        this.sources = sources;
        this.patients = patients;
        this.config = config;
        this.json = json;
    }

    /** What indexing one resource did: its JSON when a reference changed (else null), and the counts. */
    record Indexed(String json, int rewritten, int notFound) {
    }

    public Uni<Ingested> index(UploadEnvelope request) {
        Long sourceId = targetOf(request);
        if (sourceId == null) {
            return store(request, UploadResult.PROCESSED, EntryOutcome.failed(400, "invalid",
                    "A reference indexing names one FHIR source: POST FhirSource/{id}."));
        }
        return uploads.findResult(request.uploadId()).chain(recorded -> {
            if (recorded != null) {
                // a redelivery: answered as the first time, nothing indexed again
                return Uni.createFrom().item(new Ingested(service.readResult(recorded), true));
            }
            return ownerOf(sourceId).chain(owner -> {
                if (owner == null) {
                    return store(request, UploadResult.UNAVAILABLE, EntryOutcome.failed(503, "transient",
                            "The indexing cannot be decided at the moment; nothing was changed. Try again later."));
                }
                if (owner.jheUserId() == null || owner.jheUserId() != request.uploaderUserId()) {
                    return store(request, UploadResult.PROCESSED, notFound(sourceId));
                }
                return indexAll(request, sourceId, new int[3])
                        .chain(counts -> store(request, UploadResult.PROCESSED,
                                EntryOutcome.indexed(new RefsIndexed(counts[0], counts[1], counts[2]))));
            });
        });
    }

    private static Long targetOf(UploadEnvelope request) {
        if (request.entries().size() != 1) {
            return null;
        }
        UploadEntry entry = request.entries().get(0);
        Matcher target = entry == null || entry.url() == null ? null : TARGET.matcher(entry.url());
        if (entry == null || !"POST".equals(entry.method()) || !target.matches()) {
            return null;
        }
        Long id = Long.valueOf(target.group(1));
        return entry.fhirSourceId() == null || entry.fhirSourceId().equals(id) ? id : null;
    }

    /**
     * The account of the source's patient: an empty one when there is no such source (or patient); a null item when
     * admin-service does not answer (fail closed).
     */
    private Uni<PatientAccount> ownerOf(long sourceId) {
        return sources.find(sourceId)
                .ifNoItem().after(config.decisionTimeout()).fail()
                .onFailure(e -> e instanceof WebApplicationException w && w.getResponse().getStatus() == 404)
                .recoverWithItem(new FhirSource(null, null, null, null, null))
                .onFailure().retry().withBackOff(Duration.ofMillis(200)).atMost(2)
                .chain(source -> source == null || source.patientId() == null
                        ? Uni.createFrom().item(new PatientAccount(0, null))
                        : patients.patients(Long.toString(source.patientId()))
                                .ifNoItem().after(config.decisionTimeout()).fail()
                                .onFailure().retry().withBackOff(Duration.ofMillis(200)).atMost(2)
                                .map(records -> records.stream().filter(r -> r.id() == source.patientId())
                                        .findFirst().orElse(new PatientAccount(source.patientId(), null))))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("reference indexing: no source or patient record from admin-service (%s)",
                            failure.toString());
                    return null;
                });
    }

    /** Indexes the source's resources batch by batch, each batch in a transaction of its own: the counts. */
    private Uni<int[]> indexAll(UploadEnvelope request, long sourceId, int[] counts) {
        int limit = Math.min(BATCH, MAX_PER_REQUEST - counts[0]);
        if (limit <= 0) {
            return Uni.createFrom().item(counts);
        }
        return resources.pool().withTransaction(tx -> resources.lockUnindexed(tx, sourceId, limit)
                .chain(batch -> indexBatch(tx, request, sourceId, batch, counts).map(x -> batch.size())))
                .chain(size -> size < limit ? Uni.createFrom().item(counts)
                        : indexAll(request, sourceId, counts));
    }

    private Uni<Void> indexBatch(SqlConnection tx, UploadEnvelope request, long sourceId, List<Unindexed> batch,
            int[] counts) {
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<UUID, JsonNode> parsed = new HashMap<>();
        Set<String> wanted = new LinkedHashSet<>();
        for (Unindexed row : batch) {
            JsonNode resource = read(row.json());
            parsed.put(row.id(), resource);
            references(resource, reference -> {
                Matcher relative = RELATIVE.matcher(reference);
                if (relative.matches()) {
                    wanted.add(relative.group(1) + "/" + relative.group(2));
                }
            });
        }
        List<String> types = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (String key : wanted) {
            int slash = key.indexOf('/');
            types.add(key.substring(0, slash));
            ids.add(key.substring(slash + 1));
        }
        return resources.findByUpstream(tx, sourceId, types, ids).chain(found -> {
            Map<UUID, String> rewritten = new HashMap<>();
            for (Unindexed row : batch) {
                Indexed indexed = rewrite(parsed.get(row.id()), found);
                counts[1] += indexed.rewritten();
                counts[2] += indexed.notFound();
                if (indexed.json() != null) {
                    rewritten.put(row.id(), indexed.json());
                }
            }
            counts[0] += batch.size();
            return resources.markIndexed(tx, batch.stream().map(Unindexed::id).toList(), rewritten,
                    request.uploadId(), request.uploaderUserId());
        });
    }

    /**
     * Rewrites the resource's relative references by the source's resources found ({@code Type/upstreamId} → store
     * id): a reference to one of them becomes {@code Type/<id>}; one to a resource the source did not write becomes
     * {@code not-found:<upstreamId>}; a reference to a store id already, an absolute URL, a contained resource
     * ({@code #id}) or anything else is left as it is.
     */
    Indexed rewrite(JsonNode resource, Map<String, UUID> found) {
        int[] counts = new int[2];
        boolean[] changed = { false };
        rewriteReferences(resource, reference -> {
            Matcher relative = RELATIVE.matcher(reference);
            if (!relative.matches()) {
                return null;
            }
            String type = relative.group(1);
            String upstream = relative.group(2);
            UUID id = found.get(type + "/" + upstream);
            if (id != null) {
                counts[0]++;
                changed[0] = true;
                return type + "/" + id;
            }
            if (ResourceStore.isStoreId(upstream)) {
                return null; // the store's own id: indexed before, or written so by the app
            }
            counts[1]++;
            changed[0] = true;
            return NOT_FOUND + upstream;
        });
        try {
            return new Indexed(changed[0] ? json.writeValueAsString(resource) : null, counts[0], counts[1]);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored resource could not be written again", e);
        }
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored resource is not JSON", e);
        }
    }

    /** Every {@code reference} string of the resource, depth first. */
    private static void references(JsonNode node, java.util.function.Consumer<String> each) {
        rewriteReferences(node, reference -> {
            each.accept(reference);
            return null;
        });
    }

    /** Replaces each {@code reference} string by what {@code by} answers for it (null: kept). */
    private static void rewriteReferences(JsonNode node, java.util.function.Function<String, String> by) {
        if (node instanceof ObjectNode object) {
            var fields = object.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                JsonNode value = field.getValue();
                if ("reference".equals(field.getKey()) && value.isTextual()) {
                    String replaced = by.apply(value.asText());
                    if (replaced != null) {
                        field.setValue(object.textNode(replaced));
                    }
                } else {
                    rewriteReferences(value, by);
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(item -> rewriteReferences(item, by));
        }
    }

    private static EntryOutcome notFound(long sourceId) {
        return EntryOutcome.failed(404, "not-found", "FhirSource " + sourceId + " is not one of yours.");
    }

    private Uni<Ingested> store(UploadEnvelope request, int status, EntryOutcome outcome) {
        UploadResult result = new UploadResult(request.uploadId(), request.uploaderUserId(), request.bundleType(),
                status, Instant.now(), List.of(outcome));
        UploadRecord record = new UploadRecord(request.uploadId(), request.uploaderUserId(), request.bundleType(),
                result.status(), request.entries().size(), 0, service.writeResult(result),
                (request.receivedAt() == null ? Instant.now() : request.receivedAt()).atOffset(ZoneOffset.UTC));
        return uploads.pool().withTransaction(tx -> uploads.insertUpload(tx, record))
                .chain(inserted -> inserted ? Uni.createFrom().item(new Ingested(result, false))
                        : uploads.findResult(request.uploadId())
                                .map(recorded -> new Ingested(service.readResult(recorded), true)));
    }
}
