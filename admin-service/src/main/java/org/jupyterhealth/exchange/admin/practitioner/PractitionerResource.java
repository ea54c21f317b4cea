package org.jupyterhealth.exchange.admin.practitioner;

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

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jupyterhealth.exchange.admin.security.Callers;
import org.jupyterhealth.exchange.admin.security.SuperuserOnly;
import org.jupyterhealth.exchange.admin.web.Locations;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;
import org.jupyterhealth.exchange.admin.web.Paging;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** {@code /api/v1/practitioners} (docs/compatibility.md#practitioners): superusers only. */
@Path("/api/v1/practitioners")
@Authenticated
@Tag(name = "practitioners")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PractitionerResource {
    private final PractitionerService service;
    private final Callers callers;
    private final Paging paging;
    private final Locations locations;

    public PractitionerResource(PractitionerService service, Callers callers, Paging paging, Locations locations) {
        this.service = service;
        this.callers = callers;
        this.paging = paging;
        this.locations = locations;
    }

    @GET
    public Uni<Page<PractitionerResponse>> list(@Context UriInfo uri) {
        PageRequest page = paging.of(uri, PageRequest.MAX_SIZE);
        return callers.current().flatMap(caller -> service.listPractitioners(caller, page));
    }

    @GET
    @Path("/{id}")
    public Uni<PractitionerResponse> get(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.practitioner(caller, id));
    }

    @SuperuserOnly
    @POST
    public Uni<Response> create(PractitionerRequest request) {
        return callers.current().flatMap(caller -> service.createPractitioner(caller, request))
                .map(p -> locations.created("/api/v1/practitioners/" + p.id(), p));
    }

    @SuperuserOnly
    @PUT
    @Path("/{id}")
    public Uni<PractitionerResponse> replace(@PathParam("id") long id, PractitionerReplacement request) {
        return callers.current().flatMap(caller -> service.replacePractitioner(caller, id, request));
    }

    @SuperuserOnly
    @PATCH
    @Path("/{id}")
    public Uni<PractitionerResponse> patch(@PathParam("id") long id, PractitionerPatch patch) {
        return callers.current().flatMap(caller -> service.patchPractitioner(caller, id, patch));
    }

    /**
     * A new activation link for the practitioner's account, e-mailed (or, with e-mail off, in the answer): 202, the
     * e-mail being sent after the answer.
     */
    @SuperuserOnly
    @POST
    @Path("/{id}/activation")
    // no body: whatever a client names as its type (or nothing), it is not read
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Send the practitioner a new one-time activation link (earlier ones stop working)")
    @APIResponse(responseCode = "202", description = "issued; e-mailed to the practitioner, or (e-mail off) in the "
            + "answer", content = @Content(schema = @Schema(implementation = ActivationResponse.class)))
    @APIResponse(responseCode = "404", description = "no such practitioner")
    @APIResponse(responseCode = "409", description = "the account is already active (it has a password)")
    @APIResponse(responseCode = "503", description = "the account service is unavailable")
    public Uni<Response> resendActivation(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.resendActivation(caller, id))
                .map(activation -> Response.accepted(activation).build());
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.deletePractitioner(caller, id))
                .map(v -> Response.noContent().build());
    }
}
