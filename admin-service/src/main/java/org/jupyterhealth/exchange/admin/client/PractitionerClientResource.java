package org.jupyterhealth.exchange.admin.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
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

/** {@code /api/v1/practitioner_clients} (docs/compatibility.md#practitioner-clients). */
@Path("/api/v1/practitioner_clients")
@Authenticated
@Tag(name = "practitioner clients")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PractitionerClientResource {
    private final PractitionerClientService service;
    private final Callers callers;
    private final Paging paging;
    private final Locations locations;

    public PractitionerClientResource(PractitionerClientService service, Callers callers, Paging paging,
            Locations locations) {
        this.service = service;
        this.callers = callers;
        this.paging = paging;
        this.locations = locations;
    }

    @GET
    public Uni<Page<PractitionerClientResponse>> list(@Context UriInfo uri) {
        PageRequest page = paging.of(uri, PageRequest.MAX_SIZE);
        return callers.current().flatMap(caller -> service.list(caller, page));
    }

    @GET
    @Path("/{id}")
    public Uni<PractitionerClientResponse> get(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.client(caller, id));
    }

    @POST
    public Uni<Response> create(PractitionerClientRequest request) {
        return callers.current().flatMap(caller -> service.create(caller, request))
                .map(client -> locations.created("/api/v1/practitioner_clients/" + client.id(), client));
    }

    @PATCH
    @Path("/{id}")
    public Uni<PractitionerClientResponse> patch(@PathParam("id") long id, PractitionerClientRequest request) {
        return callers.current().flatMap(caller -> service.patch(caller, id, request));
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.delete(caller, id))
                .map(v -> Response.noContent().build());
    }
}
