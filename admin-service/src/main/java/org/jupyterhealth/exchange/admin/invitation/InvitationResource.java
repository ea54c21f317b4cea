package org.jupyterhealth.exchange.admin.invitation;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jupyterhealth.exchange.admin.invitation.InvitationResponses.InvitationResponse;
import org.jupyterhealth.exchange.admin.invitation.InvitationResponses.RedemptionResponse;
import org.jupyterhealth.exchange.admin.security.Callers;
import org.jupyterhealth.exchange.admin.web.Locations;
import org.jupyterhealth.exchange.admin.web.Page;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * The original's patient invitations (docs/compatibility.md#invitations): {@code /api/v1/invitation}, with the
 * public redeem {@code POST /api/v1/invitation/{token}}; the guide's flow is {@link InvitationLinkResource}.
 */
@Path("/api/v1/invitation")
@Tag(name = "invitations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InvitationResource {
    private final InvitationService service;
    private final Callers callers;
    private final Locations locations;

    public InvitationResource(InvitationService service, Callers callers, Locations locations) {
        this.service = service;
        this.callers = callers;
        this.locations = locations;
    }

    @POST
    @Authenticated
    public Uni<Response> invite(InvitationRequest request) {
        return callers.current().flatMap(caller -> service.invite(caller, request))
                .map(invitation -> locations.created("/api/v1/invitation/" + invitation.id(), invitation));
    }

    @GET
    @Authenticated
    public Uni<Page<InvitationResponse>> list() {
        return callers.current().flatMap(service::list);
    }

    @GET
    @Path("/{id: [0-9]+}")
    @Authenticated
    public Uni<InvitationResponse> get(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.invitation(caller, id));
    }

    @DELETE
    @Path("/{id: [0-9]+}")
    @Authenticated
    public Uni<Response> cancel(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.cancel(caller, id))
                .map(v -> Response.noContent().build());
    }

    /** Public: the app exchanges the one-time token for an authorization code, then calls {@code /o/token}. */
    @POST
    @Path("/{token}")
    @PermitAll
    public Uni<RedemptionResponse> redeem(@PathParam("token") String token) {
        return service.redeem(token);
    }
}
