package org.jupyterhealth.exchange.fhir.resource;

import java.time.format.DateTimeFormatter;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jupyterhealth.exchange.common.audit.AuditAction;
import org.jupyterhealth.exchange.common.fhir.ResourceStore;
import org.jupyterhealth.exchange.common.web.RequestIds;
import org.jupyterhealth.exchange.fhir.access.Caller;
import org.jupyterhealth.exchange.fhir.audit.AuditTrail;
import org.jupyterhealth.exchange.fhir.search.SearchRequest;
import org.jupyterhealth.exchange.fhir.upload.UploadHttp;
import org.jupyterhealth.exchange.fhir.upload.UploadResponses;
import org.jupyterhealth.exchange.fhir.web.FhirMediaTypes;
import org.jupyterhealth.exchange.fhir.web.FhirRequest;

import io.smallrye.mutiny.Uni;

/**
 * The HTTP side of the FHIR resource store's interactions, shared by {@link StoreResource} and the Observation
 * resource (whose UUID ids are the store's): checks of the request before anything is read, and the answers.
 */
@ApplicationScoped
public class StoreHttp {
    private final StoreService service;
    private final StoreWrites writes;
    private final UploadResponses responses;
    private final JsonWebToken token;
    private final FhirRequest request;
    private final AuditTrail audit;

    public StoreHttp(StoreService service, StoreWrites writes, UploadResponses responses, JsonWebToken token,
            FhirRequest request, AuditTrail audit) {
        this.audit = audit;
        this.service = service;
        this.writes = writes;
        this.responses = responses;
        this.token = token;
        this.request = request;
    }

    /**
     * Whether a search of a type that has a store of its own (Observation) is for the resource store's resources
     * instead: its {@code _source} names a FHIR source, or its {@code _source:below} is below the FHIR sources' URL.
     */
    public static boolean choosesStore(SearchRequest search) {
        return StoreSearch.choosesStore(search);
    }

    /** A search of the store's resources of the type; the searchset with its paging links. */
    public Uni<Response> search(String type, SearchRequest search, boolean get, String auditQuery) {
        audit.intend(AuditAction.SEARCH, type, null);
        StoreSearch parsed = StoreSearch.from(search);
        return service.search(Caller.from(token), parsed)
                .invoke(page -> audit.search(type, auditQuery, page.rows().size(),
                        page.rows().stream().map(StoredResource::patientId).distinct().toList()))
                .map(page -> Response.ok(StoreSearchset.write(request, search, get, type, page.rows(), page.total(),
                        page.next(), page.previous()), FhirMediaTypes.FHIR_JSON).build());
    }

    public Uni<Response> read(String type, String id) {
        audit.intend(AuditAction.READ, type, id);
        return service.read(Caller.from(token), type, id)
                .invoke(row -> audit.read(type, id, List.of(row.patientId())))
                .map(row -> Response.ok(StoreJson.render(row).toString())
                .type(FhirMediaTypes.FHIR_JSON).header("ETag", StoreJson.etag(row))
                .header("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(row.lastUpdated()))
                .build());
    }

    public Uni<Response> create(String type, byte[] body, String contentType, String prefer, String requestId,
            String sourceHeader) {
        audit.intend(AuditAction.CREATE, type, null);
        Response refused = refusal(contentType, sourceHeader);
        if (refused != null) {
            return Uni.createFrom().item(refused);
        }
        return writes.create(Caller.from(token), type, body, ResourceStore.sourceId(sourceHeader),
                UploadHttp.returnPreference(prefer), RequestIds.acceptOrGenerate(requestId), request.baseUrl());
    }

    public Uni<Response> update(String type, String id, byte[] body, String contentType, String prefer,
            String ifMatch, String requestId, String sourceHeader) {
        audit.intend(AuditAction.UPDATE, type, id);
        Response refused = refusal(contentType, sourceHeader);
        if (refused != null) {
            return Uni.createFrom().item(refused);
        }
        return writes.update(Caller.from(token), type, id, body, ifMatch, ResourceStore.sourceId(sourceHeader),
                UploadHttp.returnPreference(prefer), RequestIds.acceptOrGenerate(requestId), request.baseUrl());
    }

    /**
     * {@code PATCH [base]/{type}/{id}}: a JSON object whose top-level keys replace the stored resource's
     * ({@code application/merge-patch+json}, or FHIR JSON / JSON as the original takes it), then written as a
     * {@code PUT} of the result (validated and decided by ingest-service).
     */
    public Uni<Response> patch(String type, String id, byte[] body, String contentType, String prefer,
            String ifMatch, String requestId) {
        audit.intend(AuditAction.UPDATE, type, id);
        Response refused = isMergePatch(contentType) ? refusal(null, null) : refusal(contentType, null);
        if (refused != null) {
            return Uni.createFrom().item(refused);
        }
        return writes.patch(Caller.from(token), type, id, body, ifMatch, UploadHttp.returnPreference(prefer),
                RequestIds.acceptOrGenerate(requestId), request.baseUrl());
    }

    private static boolean isMergePatch(String contentType) {
        try {
            return contentType != null && MediaType.valueOf(contentType).isCompatible(MERGE_PATCH);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static final MediaType MERGE_PATCH = MediaType.valueOf("application/merge-patch+json");

    public Uni<Response> delete(String type, String id, String ifMatch, String requestId) {
        audit.intend(AuditAction.DELETE, type, id);
        if (UploadHttp.uploaderId(token) == null) {
            return Uni.createFrom().item(responses.error(403, "forbidden", "Only users can write resources."));
        }
        return writes.delete(Caller.from(token), type, id, ifMatch, RequestIds.acceptOrGenerate(requestId),
                request.baseUrl());
    }

    /** A write refused before it is read: a body that is not JSON, a service's token, a malformed source header. */
    private Response refusal(String contentType, String sourceHeader) {
        if (!UploadHttp.isFhirJson(contentType)) {
            return responses.unsupportedMediaType();
        }
        if (UploadHttp.uploaderId(token) == null) {
            return responses.error(403, "forbidden", "Only users can write resources.");
        }
        if (sourceHeader != null && ResourceStore.sourceId(sourceHeader) == null) {
            return responses.error(400, "invalid", ResourceStore.SOURCE_HEADER + " must be the id of a FhirSource.");
        }
        return null;
    }
}
