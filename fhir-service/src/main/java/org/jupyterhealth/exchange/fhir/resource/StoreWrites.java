package org.jupyterhealth.exchange.fhir.resource;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.jupyterhealth.exchange.common.audit.AuditAction;
import org.jupyterhealth.exchange.common.fhir.ResourceStore;
import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.common.upload.UploadEntry;
import org.jupyterhealth.exchange.common.upload.UploadResult;
import org.jupyterhealth.exchange.fhir.access.Caller;
import org.jupyterhealth.exchange.fhir.audit.AuditTrail;
import org.jupyterhealth.exchange.fhir.upload.ReturnPreference;
import org.jupyterhealth.exchange.fhir.upload.UploadConfig;
import org.jupyterhealth.exchange.fhir.upload.UploadRejectedException;
import org.jupyterhealth.exchange.fhir.upload.UploadResponses;
import org.jupyterhealth.exchange.fhir.upload.UploadService;
import org.jupyterhealth.exchange.fhir.upload.UploadService.Finished;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Creates, updates and deletes of the FHIR resource store: each a one-entry upload through the upload topic, which
 * ingest-service decides and writes (docs/compatibility.md#fhir-resource-store), answered with the resource as
 * stored, its {@code Location}, {@code ETag} and {@code Last-Modified}, or with the entry's failure.
 */
@ApplicationScoped
public class StoreWrites {
    private final UploadService uploads;
    private final UploadResponses responses;
    private final StoreRepository repository;
    private final UploadConfig config;
    private final ObjectMapper json;
    private final AuditTrail audit;

    public StoreWrites(UploadService uploads, UploadResponses responses, StoreRepository repository,
            UploadConfig config, ObjectMapper json, AuditTrail audit) {
        this.audit = audit;
        this.uploads = uploads;
        this.responses = responses;
        this.repository = repository;
        this.config = config;
        this.json = json;
    }

    /** The resources of the store an upload wrote, as stored now, by id (deleted ones are absent). */
    public Uni<Map<String, ObjectNode>> rendered(UploadResult result) {
        List<UUID> ids = result.entries().stream().filter(o -> o.stored() && o.status() != 204)
                .map(o -> UUID.fromString(o.resourceId())).toList();
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return repository.findByIds(ids).map(rows -> {
            Map<String, ObjectNode> byId = new HashMap<>();
            rows.forEach(row -> byId.put(row.id().toString(), StoreJson.render(row)));
            return byId;
        });
    }

    /** {@code POST /fhir/r5/{type}}. */
    public Uni<Response> create(Caller caller, String type, byte[] body, Long source, ReturnPreference preference,
            String requestId, String base) {
        return onRequestContext(parse(body).chain(resource -> uploads.uploadEntry(new UploadEntry(resource, "POST",
                type, null, source), Long.toString(caller.userId()), caller.userId(), requestId))
                .chain(answer -> answer(answer, preference, base, AuditAction.CREATE, null))
                .onFailure(UploadRejectedException.class).recoverWithItem(responses::rejected));
    }

    /** {@code PUT /fhir/r5/{type}/{id}}; keyed by the stored resource's patient, as its other writes are. */
    public Uni<Response> update(Caller caller, String type, String id, byte[] body, String ifMatch, Long source,
            ReturnPreference preference, String requestId, String base) {
        return onRequestContext(parse(body).chain(resource -> before(type, id).chain(row -> uploads
                .uploadEntry(new UploadEntry(resource, "PUT", type + "/" + id, ifMatch, source), keyOf(caller, row),
                        caller.userId(), requestId)
                .chain(answer -> answer(answer, preference, base, AuditAction.UPDATE, row))))
                .onFailure(UploadRejectedException.class).recoverWithItem(responses::rejected));
    }

    /**
     * {@code PATCH /fhir/r5/{type}/{id}}: the body's top-level keys merged into the stored resource ({@link #merge}),
     * written as an update of the version merged into (the client's {@code If-Match}, or the version read), so that a
     * write in between is a 412 rather than lost. No stored resource of the type and id: 404.
     */
    public Uni<Response> patch(Caller caller, String type, String id, byte[] body, String ifMatch,
            ReturnPreference preference, String requestId, String base) {
        return onRequestContext(parse(body).chain(patch -> before(type, id).chain(row -> {
            if (row == null) {
                return Uni.createFrom().failure(StoreService.notFound(type, id));
            }
            ObjectNode merged = merge(type, id, row, (ObjectNode) patch);
            String version = ifMatch != null ? ifMatch : "W/\"" + row.versionId() + "\"";
            return uploads.uploadEntry(new UploadEntry(merged, "PUT", type + "/" + id, version, null),
                    keyOf(caller, row), caller.userId(), requestId)
                    .chain(answer -> answer(answer, preference, base, AuditAction.UPDATE, row));
        })).onFailure(UploadRejectedException.class).recoverWithItem(responses::rejected));
    }

    /**
     * The stored resource with the patch's top-level keys: a value replaces the key's, {@code null} removes it (as a
     * JSON merge patch does at the top level; nested objects are replaced whole, as the original's shallow merge).
     * {@code meta} is the store's and is left as stored; {@code resourceType} and {@code id}, when given, must be the
     * resource's own (400 otherwise).
     */
    private ObjectNode merge(String type, String id, StoredResource row, ObjectNode patch) {
        ObjectNode merged;
        try {
            merged = (ObjectNode) json.readTree(row.json());
        } catch (JacksonException e) {
            throw new IllegalStateException("A stored resource is not JSON: " + type + "/" + id, e);
        }
        var fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (key.equals("resourceType")) {
                if (!value.isTextual() || !value.asText().equals(type)) {
                    throw invalid("PATCH cannot change resourceType: this is a " + type + ".");
                }
            } else if (key.equals("id")) {
                if (!value.isTextual() || !value.asText().equals(id)) {
                    throw invalid("PATCH cannot change id: this is " + type + "/" + id + ".");
                }
            } else if (!key.equals("meta")) {
                if (value.isNull()) {
                    merged.remove(key);
                } else {
                    merged.set(key, value);
                }
            }
        }
        return merged;
    }

    /** {@code DELETE /fhir/r5/{type}/{id}}: 204. */
    public Uni<Response> delete(Caller caller, String type, String id, String ifMatch, String requestId,
            String base) {
        return before(type, id).chain(row -> uploads.uploadEntry(new UploadEntry(null, "DELETE",
                type + "/" + id, ifMatch, null), keyOf(caller, row), caller.userId(), requestId)
                .chain(answer -> answer(answer, ReturnPreference.MINIMAL, base, AuditAction.DELETE, row)))
                .onFailure(UploadRejectedException.class).recoverWithItem(responses::rejected);
    }

    /** The answer delivered on the context of the request that asked, whichever thread produced it. */
    private static <T> Uni<T> onRequestContext(Uni<T> answer) {
        Context request = Vertx.currentContext();
        return request == null ? answer : answer.emitOn(task -> request.runOnContext(ignored -> task.run()));
    }

    /** The stored resource a write replaces or deletes, null when there is none (the write then fails). */
    private Uni<StoredResource> before(String type, String id) {
        if (!ResourceStore.isStoreId(id)) {
            return Uni.createFrom().nullItem();
        }
        return repository.findById(type, UUID.fromString(id));
    }

    private static String keyOf(Caller caller, StoredResource before) {
        return Long.toString(before == null ? caller.userId() : before.patientId());
    }

    /**
     * The answer to a one-entry create of the store (a {@code POST [base]/Observation} that is not Open mHealth): the
     * resource as stored or the failure; the audit trail is told what was written and whose it is.
     */
    public Uni<Response> answer(UploadService.Answer answer, ReturnPreference preference, String base) {
        return answer(answer, preference, base, AuditAction.CREATE, null);
    }

    /**
     * The answer to a one-entry write of the store: the resource as stored, its 204, or the failure; when the write
     * is done, the audit trail told what it wrote and whose it is (the patient of
     * the resource as stored, or of the one deleted); a write that failed stays as the request announced it.
     */
    private Uni<Response> answer(UploadService.Answer answer, ReturnPreference preference, String base,
            AuditAction action, StoredResource before) {
        if (!(answer instanceof Finished finished)) {
            if (answer instanceof UploadService.Pending pending && action == AuditAction.CREATE) {
                audit.accepted(pending.submitted());
            }
            return Uni.createFrom().item(responses.accepted(base + "/_upload/" + answer.uploadId()));
        }
        UploadResult result = finished.result();
        if (result.status() != UploadResult.PROCESSED) {
            return Uni.createFrom().item(responses.uploadFailure(result));
        }
        EntryOutcome outcome = result.entries().get(0);
        if (!outcome.stored()) {
            return Uni.createFrom().item(responses.entryFailure(outcome));
        }
        if (outcome.status() == 204) {
            if (action != null) {
                audit.write(action, outcome.resourceType(), List.of(outcome.resourceId()), patientOf(before), null);
            }
            return Uni.createFrom().item(Response.noContent().build());
        }
        return repository.findById(outcome.resourceType(), UUID.fromString(outcome.resourceId())).map(row -> {
            if (action != null) {
                audit.write(action, outcome.resourceType(), List.of(outcome.resourceId()),
                        patientOf(row == null ? before : row), 1);
            }
            String location = base + "/" + outcome.resourceType() + "/" + outcome.resourceId() + "/_history/"
                    + outcome.versionId();
            Response.ResponseBuilder response = Response.status(outcome.status()).header("Location", location)
                    .header("ETag", "W/\"" + outcome.versionId() + "\"");
            if (row != null) {
                response.header("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        row.lastUpdated()));
            }
            if (preference == ReturnPreference.REPRESENTATION && row != null) {
                response.type("application/fhir+json").entity(StoreJson.render(row).toString());
            } else if (preference == ReturnPreference.OPERATION_OUTCOME) {
                Response info = responses.information((outcome.status() == 201 ? "Created " : "Updated ")
                        + outcome.resourceType() + "/" + outcome.resourceId() + ".");
                response.type("application/fhir+json").entity(info.getEntity());
            }
            return response.build();
        });
    }

    private static List<Long> patientOf(StoredResource row) {
        return row == null ? List.of() : List.of(row.patientId());
    }

    /** The body as one JSON object (UTF-8, within the size limit), read on a worker thread. */
    private Uni<JsonNode> parse(byte[] body) {
        return Uni.createFrom().item(() -> {
            if (body == null || body.length == 0) {
                throw invalid("The request body is empty: a FHIR resource in JSON is expected.");
            }
            if (body.length > config.maxBodySize().asLongValue()) {
                throw new UploadRejectedException(413, "too-long", "The request body exceeds "
                        + config.maxBodySize().asLongValue() + " bytes.");
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
            } catch (CharacterCodingException e) {
                throw invalid("The request body is not valid UTF-8 JSON: FHIR JSON is encoded in UTF-8.");
            }
            JsonNode resource;
            try {
                resource = json.readTree(text);
            } catch (JacksonException e) {
                throw invalid("The request body is not valid JSON.");
            }
            if (resource == null || !resource.isObject()) {
                throw invalid("The request body must be a FHIR resource.");
            }
            return resource;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static UploadRejectedException invalid(String message) {
        return new UploadRejectedException(400, "invalid", message);
    }
}
