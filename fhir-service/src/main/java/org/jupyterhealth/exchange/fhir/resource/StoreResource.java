package org.jupyterhealth.exchange.fhir.resource;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jupyterhealth.exchange.common.fhir.ResourceStore;
import org.jupyterhealth.exchange.common.web.RequestIds;
import org.jupyterhealth.exchange.fhir.search.SearchRequest;
import org.jupyterhealth.exchange.fhir.web.FhirBasePath;
import org.jupyterhealth.exchange.fhir.web.FhirMediaTypes;
import org.jupyterhealth.exchange.fhir.web.SearchInput;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * The FHIR resource store's types that have no mapped rendering (QuestionnaireResponse, Condition, ...): search
 * ({@code GET} and {@code POST _search}), read, create, update ({@code PUT}, or {@code PATCH} merging top-level
 * keys) and delete, under both bases
 * (docs/compatibility.md#fhir-resource-store).
 */
@Path(FhirBasePath.LOWER + "/{type: " + StoreResource.TYPES + "}")
@Authenticated
@Produces({ FhirMediaTypes.FHIR_JSON, FhirMediaTypes.JSON })
public class StoreResource {
    /** {@code ResourceStore.TYPES} without the mapped ones (Observation, Patient, Group, ...), as a path pattern. */
    static final String TYPES = "AllergyIntolerance|CarePlan|CareTeam|Condition|Coverage|DiagnosticReport|"
            + "DocumentReference|Encounter|Goal|Immunization|Location|MedicationDispense|MedicationRequest|"
            // a longer name before its prefix: the router takes the first alternative that matches the start
            + "MedicationStatement|Medication|PractitionerRole|Procedure|Provenance|QuestionnaireResponse|"
            + "RelatedPerson|ServiceRequest";

    private final StoreHttp http;

    public StoreResource(StoreHttp http) {
        this.http = http;
    }

    @GET
    public Uni<Response> search(@PathParam("type") String type, @Context UriInfo uri,
            @HeaderParam("Prefer") String prefer) {
        return search(type, SearchInput.of(type, uri, prefer), true, uri.getRequestUri().getRawQuery());
    }

    @POST
    @Path("_search")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> searchByPost(@PathParam("type") String type, @Context UriInfo uri,
            @HeaderParam("Prefer") String prefer, @Context HttpHeaders headers, String body) {
        return search(type, SearchInput.ofPost(type, uri, prefer, headers.getMediaType(), body), false, body);
    }

    @GET
    @Path("{id}")
    public Uni<Response> read(@PathParam("type") String type, @PathParam("id") String id) {
        return http.read(type, id);
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> create(@PathParam("type") String type, byte[] body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, @HeaderParam("Prefer") String prefer,
            @HeaderParam(RequestIds.HEADER) String requestId,
            @HeaderParam(ResourceStore.SOURCE_HEADER) String sourceHeader) {
        return http.create(type, body, contentType, prefer, requestId, sourceHeader);
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> update(@PathParam("type") String type, @PathParam("id") String id, byte[] body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, @HeaderParam("Prefer") String prefer,
            @HeaderParam("If-Match") String ifMatch, @HeaderParam(RequestIds.HEADER) String requestId,
            @HeaderParam(ResourceStore.SOURCE_HEADER) String sourceHeader) {
        return http.update(type, id, body, contentType, prefer, ifMatch, requestId, sourceHeader);
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> patch(@PathParam("type") String type, @PathParam("id") String id, byte[] body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, @HeaderParam("Prefer") String prefer,
            @HeaderParam("If-Match") String ifMatch, @HeaderParam(RequestIds.HEADER) String requestId) {
        return http.patch(type, id, body, contentType, prefer, ifMatch, requestId);
    }

    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("type") String type, @PathParam("id") String id,
            @HeaderParam("If-Match") String ifMatch, @HeaderParam(RequestIds.HEADER) String requestId) {
        return http.delete(type, id, ifMatch, requestId);
    }

    private Uni<Response> search(String type, SearchRequest search, boolean get, String auditQuery) {
        return http.search(type, search, get, auditQuery);
    }

    static List<String> types() {
        return List.of(TYPES.split("\\|"));
    }
}
