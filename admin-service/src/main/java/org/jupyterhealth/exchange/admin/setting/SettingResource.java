package org.jupyterhealth.exchange.admin.setting;

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

/** {@code /api/v1/jhe_settings} (docs/compatibility.md#settings): superusers only; typed values. */
@Path("/api/v1/jhe_settings")
@Authenticated
@Tag(name = "settings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SettingResource {
    private final SettingService service;
    private final Callers callers;
    private final Paging paging;
    private final Locations locations;

    public SettingResource(SettingService service, Callers callers, Paging paging, Locations locations) {
        this.service = service;
        this.callers = callers;
        this.paging = paging;
        this.locations = locations;
    }

    @GET
    public Uni<Page<SettingResponse>> list(@Context UriInfo uri) {
        PageRequest page = paging.of(uri, PageRequest.MAX_SIZE);
        return callers.current().flatMap(caller -> service.listSettings(caller, page));
    }

    @GET
    @Path("/{id}")
    public Uni<SettingResponse> get(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.setting(caller, id));
    }

    @SuperuserOnly
    @POST
    public Uni<Response> create(SettingRequest request) {
        return callers.current().flatMap(caller -> service.createSetting(caller, request))
                .map(setting -> locations.created("/api/v1/jhe_settings/" + setting.id(), setting));
    }

    @SuperuserOnly
    @PUT
    @Path("/{id}")
    public Uni<SettingResponse> replace(@PathParam("id") long id, SettingRequest request) {
        return callers.current().flatMap(caller -> service.replaceSetting(caller, id, request));
    }

    @SuperuserOnly
    @PATCH
    @Path("/{id}")
    public Uni<SettingResponse> patch(@PathParam("id") long id, SettingPatch patch) {
        return callers.current().flatMap(caller -> service.patchSetting(caller, id, patch));
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.deleteSetting(caller, id))
                .map(v -> Response.noContent().build());
    }
}
