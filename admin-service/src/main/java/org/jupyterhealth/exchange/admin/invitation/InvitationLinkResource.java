package org.jupyterhealth.exchange.admin.invitation;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jupyterhealth.exchange.admin.invitation.InvitationResponses.InvitationLinkResponse;
import org.jupyterhealth.exchange.admin.security.Callers;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * The guide's invitation flow: {@code GET /api/v1/patients/{id}/invitation_link} (docs/compatibility.md#invitations).
 */
@Path("/api/v1/patients/{id}/invitation_link")
@Authenticated
@Tag(name = "invitations")
@Produces(MediaType.APPLICATION_JSON)
public class InvitationLinkResource {
    private final InvitationService service;
    private final Callers callers;

    public InvitationLinkResource(InvitationService service, Callers callers) {
        this.service = service;
        this.callers = callers;
    }

    @GET
    public Uni<InvitationLinkResponse> invitationLink(@PathParam("id") long patientId, @Context UriInfo uri) {
        InvitationLinkRequest request = InvitationLinkRequest.of(uri);
        return callers.current().flatMap(caller -> service.invitationLink(caller, patientId, request));
    }
}
