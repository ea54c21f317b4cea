package org.jupyterhealth.exchange.admin.client;

import java.util.List;

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
import org.jupyterhealth.exchange.admin.client.ClientResponses.ClientDataSource;
import org.jupyterhealth.exchange.admin.client.ClientResponses.ClientResponse;
import org.jupyterhealth.exchange.admin.security.Callers;
import org.jupyterhealth.exchange.admin.study.DataSourceLinkRequest;
import org.jupyterhealth.exchange.admin.web.Locations;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;
import org.jupyterhealth.exchange.admin.web.Paging;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** {@code /api/v1/clients} (docs/compatibility.md#patient-apps): patient apps and their data sources. */
@Path("/api/v1/clients")
@Authenticated
@Tag(name = "clients")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ClientResource {
    private final ClientService service;
    private final Callers callers;
    private final Paging paging;
    private final Locations locations;

    public ClientResource(ClientService service, Callers callers, Paging paging, Locations locations) {
        this.service = service;
        this.callers = callers;
        this.paging = paging;
        this.locations = locations;
    }

    @GET
    public Uni<Page<ClientResponse>> list(@Context UriInfo uri) {
        PageRequest page = paging.of(uri, PageRequest.MAX_SIZE);
        return callers.current().chain(() -> service.list(page));
    }

    @GET
    @Path("/{id}")
    public Uni<ClientResponse> get(@PathParam("id") long id) {
        return callers.current().chain(() -> service.client(id));
    }

    @POST
    public Uni<Response> create(ClientRequest request) {
        return callers.current().flatMap(caller -> service.create(caller, request))
                .map(client -> locations.created("/api/v1/clients/" + client.id(), client));
    }

    @PUT
    @Path("/{id}")
    public Uni<ClientResponse> replace(@PathParam("id") long id, ClientRequest request) {
        return callers.current().flatMap(caller -> service.replace(caller, id, request));
    }

    @PATCH
    @Path("/{id}")
    public Uni<ClientResponse> patch(@PathParam("id") long id, ClientRequest request) {
        return callers.current().flatMap(caller -> service.update(caller, id, request));
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.delete(caller, id))
                .map(v -> Response.noContent().build());
    }

    @GET
    @Path("/{id}/data_sources")
    public Uni<List<ClientDataSource>> dataSources(@PathParam("id") long id) {
        return callers.current().chain(() -> service.dataSources(id));
    }

    /** 201 for a new link (listed at {@code /data_sources}). */
    @POST
    @Path("/{id}/data_sources")
    public Uni<Response> addDataSource(@PathParam("id") long id, DataSourceLinkRequest request) {
        return callers.current().flatMap(caller -> service.addDataSource(caller, id, request))
                .map(link -> locations.created("/api/v1/clients/" + id + "/data_sources", link));
    }

    @DELETE
    @Path("/{id}/data_sources")
    public Uni<Response> removeDataSource(@PathParam("id") long id, DataSourceLinkRequest request) {
        return callers.current().flatMap(caller -> service.removeDataSource(caller, id, request))
                .map(v -> Response.noContent().build());
    }
}
