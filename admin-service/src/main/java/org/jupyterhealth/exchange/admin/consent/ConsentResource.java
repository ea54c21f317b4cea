package org.jupyterhealth.exchange.admin.consent;

import java.util.Map;

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
import org.jupyterhealth.exchange.admin.web.Body;
import org.jupyterhealth.exchange.admin.web.QueryParams;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jupyterhealth.exchange.admin.openapi.RequestBodies;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** {@code /api/v1/patients/{id}/consents} (docs/compatibility.md#consents). */
@Path("/api/v1/patients/{id}/consents")
@Authenticated
@Tag(name = "consents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ConsentResource {
    private final ConsentService service;
    private final Callers callers;

    public ConsentResource(ConsentService service, Callers callers) {
        this.service = service;
        this.callers = callers;
    }

    @GET
    public Uni<Map<String, Object>> get(@PathParam("id") long id, @Context UriInfo uri) {
        boolean reset = QueryParams.of(uri).flag("reset");
        return callers.current().flatMap(caller -> reset ? service.reset(caller, id) : service.consents(caller, id));
    }

    @POST
    public Uni<Response> record(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.Consents.class))) JsonNode json) {
        var request = ConsentService.request(Body.of(json), true);
        return callers.current().flatMap(caller -> service.recordConsents(caller, id, request))
                .map(items -> Response.status(201).entity(Map.of("studyScopeConsents", items)).build());
    }

    @PATCH
    public Uni<Map<String, Object>> change(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.Consents.class))) JsonNode json) {
        var request = ConsentService.request(Body.of(json), true);
        return callers.current().flatMap(caller -> service.changeConsents(caller, id, request))
                .map(items -> Map.of("studyScopeConsents", items));
    }

    @DELETE
    public Uni<Response> withdraw(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.Consents.class))) JsonNode json) {
        var request = ConsentService.request(Body.of(json), false);
        return callers.current().flatMap(caller -> service.withdrawConsents(caller, id, request))
                .map(v -> Response.noContent().build());
    }
}
