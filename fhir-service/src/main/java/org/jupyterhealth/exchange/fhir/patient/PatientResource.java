package org.jupyterhealth.exchange.fhir.patient;

import java.util.List;


import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jupyterhealth.exchange.common.audit.AuditAction;
import org.jupyterhealth.exchange.common.fhir.ResourceStore;
import org.jupyterhealth.exchange.common.web.RequestIds;
import org.jupyterhealth.exchange.fhir.access.Caller;
import org.jupyterhealth.exchange.fhir.audit.AuditTrail;
import org.jupyterhealth.exchange.fhir.resource.StoreByUuidResource;
import org.jupyterhealth.exchange.fhir.resource.StoreHttp;
import org.jupyterhealth.exchange.fhir.search.SearchBundles;
import org.jupyterhealth.exchange.fhir.search.SearchRequest;
import org.jupyterhealth.exchange.fhir.web.FhirBasePath;
import org.jupyterhealth.exchange.fhir.web.FhirMediaTypes;
import org.jupyterhealth.exchange.fhir.web.FhirRequest;
import org.jupyterhealth.exchange.fhir.web.SearchInput;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * FHIR Patient search ({@code GET} and {@code POST _search}) and read, under both bases. A UUID id is the FHIR
 * resource store's (docs/compatibility.md#fhir-resource-store): read, create, replace and delete as the store's other
 * types; the exchange's own patients (integer ids) are read only (405 for a write).
 */
@Path(FhirBasePath.LOWER + "/Patient")
@Authenticated
@Produces({ FhirMediaTypes.FHIR_JSON, FhirMediaTypes.JSON })
public class PatientResource extends StoreByUuidResource {
    private final PatientService patients;
    private final JsonWebToken token;
    private final FhirRequest request;
    private final AuditTrail audit;

    public PatientResource(PatientService patients, JsonWebToken token, FhirRequest request, AuditTrail audit,
            StoreHttp store) {
        super(store, "Patient");
        this.patients = patients;
        this.audit = audit;
        this.token = token;
        this.request = request;
    }

    @GET
    public Uni<Response> search(@Context UriInfo uri, @HeaderParam("Prefer") String prefer) {
        return search(SearchInput.of("Patient", uri, prefer), true, uri.getRequestUri().getRawQuery());
    }

    @POST
    @Path("_search")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> searchByPost(@Context UriInfo uri, @HeaderParam("Prefer") String prefer,
            @Context HttpHeaders headers, String body) {
        return search(SearchInput.ofPost("Patient", uri, prefer, headers.getMediaType(), body), false, body);
    }

    @GET
    @Path("{id}")
    public Uni<Response> read(@PathParam("id") String id) {
        if (ResourceStore.isStoreId(id)) {
            return store.read("Patient", id);
        }
        audit.intend(AuditAction.READ, "Patient", id);
        return patients.read(Caller.from(token), id)
                .invoke(patient -> audit.read("Patient", id, AuditTrail.idsOf(List.of(patient))))
                .map(patient -> Response.ok(patient).build());
    }

    /** A create goes to the FHIR resource store, as the original's does for Patient. */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> create(byte[] body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam("Prefer") String prefer, @HeaderParam(RequestIds.HEADER) String requestId,
            @HeaderParam(ResourceStore.SOURCE_HEADER) String sourceHeader) {
        return store.create("Patient", body, contentType, prefer, requestId, sourceHeader);
    }

    /**
     * A search of the exchange's own patients, or, when its {@code _source} names FHIR sources, of the Patients the
     * resource store keeps (one store per search, as the original's).
     */
    private Uni<Response> search(SearchRequest search, boolean get, String auditQuery) {
        if (StoreHttp.choosesStore(search)) {
            return store.search("Patient", search, get, auditQuery);
        }
        audit.intend(AuditAction.SEARCH, "Patient", null);
        PatientSearch parsed = PatientSearch.from(search);
        return patients.search(Caller.from(token), parsed, search)
                .invoke(page -> audit.search("Patient", auditQuery, page.items().size(),
                        AuditTrail.idsOf(page.items())))
                .map(page -> Response.ok(SearchBundles.searchset(request, search, get, page.items(), page.total(),
                        page.next(), page.previous())).build());
    }
}
