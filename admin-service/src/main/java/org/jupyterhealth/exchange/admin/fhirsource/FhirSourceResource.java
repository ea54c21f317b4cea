package org.jupyterhealth.exchange.admin.fhirsource;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jupyterhealth.exchange.admin.security.Callers;
import org.jupyterhealth.exchange.admin.web.Locations;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;
import org.jupyterhealth.exchange.admin.web.Paging;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** {@code /api/v1/fhir_sources} (docs/compatibility.md#fhir-sources). */
@Path("/api/v1/fhir_sources")
@Authenticated
@Tag(name = "fhir sources")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class FhirSourceResource {
    private final FhirSourceService service;
    private final Callers callers;
    private final Paging paging;
    private final Locations locations;

    public FhirSourceResource(FhirSourceService service, Callers callers, Paging paging, Locations locations) {
        this.service = service;
        this.callers = callers;
        this.paging = paging;
        this.locations = locations;
    }

    @GET
    public Uni<Page<FhirSourceResponse>> list(@Context UriInfo uri) {
        PageRequest page = paging.of(uri, PageRequest.MAX_SIZE);
        return callers.current().flatMap(caller -> service.list(caller, page));
    }

    @GET
    @Path("/{id}")
    public Uni<FhirSourceResponse> get(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.source(caller, id));
    }

    @POST
    public Uni<Response> create(FhirSourceRequest request) {
        return callers.current().flatMap(caller -> service.create(caller, request))
                .map(source -> locations.created("/api/v1/fhir_sources/" + source.id(), source));
    }

    @PUT
    @Path("/{id}")
    public Uni<FhirSourceResponse> replace(@PathParam("id") long id, FhirSourceRequest request) {
        return callers.current().flatMap(caller -> service.replace(caller, id, request));
    }

    @PATCH
    @Path("/{id}")
    public Uni<FhirSourceResponse> patch(@PathParam("id") long id, FhirSourceRequest request) {
        return callers.current().flatMap(caller -> service.patch(caller, id, request));
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.delete(caller, id))
                .map(v -> Response.noContent().build());
    }
}
