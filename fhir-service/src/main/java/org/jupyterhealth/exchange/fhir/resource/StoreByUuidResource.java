package org.jupyterhealth.exchange.fhir.resource;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jupyterhealth.exchange.common.fhir.ResourceStore;
import org.jupyterhealth.exchange.common.web.RequestIds;

import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * The writes by id of a type that has records of its own besides the FHIR resource store's (Observation, Patient,
 * Group, Organization, Practitioner, Device; docs/compatibility.md#fhir-resource-store): a UUID id is the store's,
 * replaced ({@code PUT}), patched ({@code PATCH}) and deleted as the store's other types are; any other id names one of
 * the exchange's own records, which are not written here (405), unless the type deletes them itself
 * ({@link #deleteOwn}). The one place that decides what these writes answer for every such type. Authenticated
 * here, where the methods are declared, whatever the subclass says.
 */
@Authenticated
public abstract class StoreByUuidResource {
    protected final StoreHttp store;
    protected final String type;

    protected StoreByUuidResource(StoreHttp store, String type) {
        this.store = store;
        this.type = type;
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> update(@PathParam("id") String id, byte[] body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, @HeaderParam("Prefer") String prefer,
            @HeaderParam("If-Match") String ifMatch, @HeaderParam(RequestIds.HEADER) String requestId,
            @HeaderParam(ResourceStore.SOURCE_HEADER) String sourceHeader) {
        if (!ResourceStore.isStoreId(id)) {
            return notWritable();
        }
        return store.update(type, id, body, contentType, prefer, ifMatch, requestId, sourceHeader);
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> patch(@PathParam("id") String id, byte[] body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, @HeaderParam("Prefer") String prefer,
            @HeaderParam("If-Match") String ifMatch, @HeaderParam(RequestIds.HEADER) String requestId) {
        if (!ResourceStore.isStoreId(id)) {
            return notWritable();
        }
        return store.patch(type, id, body, contentType, prefer, ifMatch, requestId);
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
            @HeaderParam(RequestIds.HEADER) String requestId) {
        if (ResourceStore.isStoreId(id)) {
            return store.delete(type, id, ifMatch, requestId);
        }
        return deleteOwn(id, requestId);
    }

    /** The deletion of one of the exchange's own records (an id that is not a UUID): not here (405). */
    protected Uni<Response> deleteOwn(String id, String requestId) {
        return notWritable();
    }

    /** Why one of the exchange's own records is not written here: the 405's diagnostics. */
    protected String notWritableReason() {
        return "The exchange's own " + type + " records are read-only here; only the FHIR resource store's (UUID ids) "
                + "are written.";
    }

    private Uni<Response> notWritable() {
        return Uni.createFrom().failure(new MethodNotAllowedException(notWritableReason()));
    }
}
