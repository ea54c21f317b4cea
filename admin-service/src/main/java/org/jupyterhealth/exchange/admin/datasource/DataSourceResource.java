package org.jupyterhealth.exchange.admin.datasource;

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
import org.jupyterhealth.exchange.admin.security.Callers;
import org.jupyterhealth.exchange.admin.security.SuperuserOnly;
import org.jupyterhealth.exchange.admin.web.Locations;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;
import org.jupyterhealth.exchange.admin.web.Paging;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** {@code /api/v1/data_sources} (docs/compatibility.md#data-sources). */
@Path("/api/v1/data_sources")
@Authenticated
@Tag(name = "data sources")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DataSourceResource {
    private final DataSourceService service;
    private final Callers callers;
    private final Paging paging;
    private final Locations locations;

    public DataSourceResource(DataSourceService service, Callers callers, Paging paging, Locations locations) {
        this.service = service;
        this.callers = callers;
        this.paging = paging;
        this.locations = locations;
    }

    @GET
    public Uni<Page<DataSourceResponse>> list(@Context UriInfo uri) {
        PageRequest page = paging.of(uri);
        return callers.current().chain(() -> service.listDataSources(page));
    }

    @GET
    @Path("/all_scopes")
    public Uni<List<CodeResponse>> allScopes() {
        return callers.current().chain(service::listCodes);
    }

    @GET
    @Path("/{id}")
    public Uni<DataSourceResponse> get(@PathParam("id") long id) {
        return callers.current().chain(() -> service.dataSource(id));
    }

    @SuperuserOnly
    @POST
    public Uni<Response> create(DataSourceRequest request) {
        return callers.current().flatMap(caller -> service.createDataSource(caller, request))
                .map(source -> locations.created("/api/v1/data_sources/" + source.id(), source));
    }

    @SuperuserOnly
    @PUT
    @Path("/{id}")
    public Uni<DataSourceResponse> replace(@PathParam("id") long id, DataSourceRequest request) {
        return callers.current().flatMap(caller -> service.replaceDataSource(caller, id, request));
    }

    @SuperuserOnly
    @PATCH
    @Path("/{id}")
    public Uni<DataSourceResponse> patch(@PathParam("id") long id, DataSourcePatch patch) {
        return callers.current().flatMap(caller -> service.patchDataSource(caller, id, patch));
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.deleteDataSource(caller, id))
                .map(v -> Response.noContent().build());
    }

    @GET
    @Path("/{id}/supported_scopes")
    public Uni<List<SupportedScopeResponse>> supportedScopes(@PathParam("id") long id) {
        return callers.current().chain(() -> service.listSupportedScopes(id));
    }

    @SuperuserOnly
    @POST
    @Path("/{id}/supported_scopes")
    public Uni<Response> addScope(@PathParam("id") long id, SupportedScopeRequest request) {
        return callers.current().flatMap(caller -> service.addSupportedScope(caller, id, request))
                .map(link -> locations.created("/api/v1/data_sources/" + id + "/supported_scopes", link));
    }

    @SuperuserOnly
    @DELETE
    @Path("/{id}/supported_scopes")
    public Uni<Response> removeScope(@PathParam("id") long id, SupportedScopeRequest request) {
        return callers.current().flatMap(caller -> service.removeSupportedScope(caller, id, request))
                .map(v -> Response.noContent().build());
    }
}
