package org.jupyterhealth.exchange.admin.consent;

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
import org.jupyterhealth.exchange.admin.consent.ConsentResponses.ConsentsView;
import org.jupyterhealth.exchange.admin.consent.ConsentResponses.Recorded;
import org.jupyterhealth.exchange.admin.security.Callers;
import org.jupyterhealth.exchange.admin.web.Locations;
import org.jupyterhealth.exchange.admin.web.QueryParams;

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
    private final Locations locations;

    public ConsentResource(ConsentService service, Callers callers, Locations locations) {
        this.service = service;
        this.callers = callers;
        this.locations = locations;
    }

    @GET
    public Uni<ConsentsView> get(@PathParam("id") long id, @Context UriInfo uri) {
        boolean reset = QueryParams.of(uri).flag("reset");
        return callers.current().flatMap(caller -> reset ? service.reset(caller, id).map(r -> (ConsentsView) r)
                : service.consents(caller, id).map(c -> (ConsentsView) c));
    }

    /** 201 for the new decisions, which {@code GET} on the same path lists. */
    @POST
    public Uni<Response> record(@PathParam("id") long id, ConsentsRequest request) {
        return callers.current().flatMap(caller -> service.recordConsents(caller, id, request))
                .map(recorded -> locations.created("/api/v1/patients/" + id + "/consents", recorded));
    }

    @PATCH
    public Uni<Recorded> change(@PathParam("id") long id, ConsentsRequest request) {
        return callers.current().flatMap(caller -> service.changeConsents(caller, id, request));
    }

    @DELETE
    public Uni<Response> withdraw(@PathParam("id") long id, ConsentsRequest request) {
        return callers.current().flatMap(caller -> service.withdrawConsents(caller, id, request))
                .map(v -> Response.noContent().build());
    }
}
