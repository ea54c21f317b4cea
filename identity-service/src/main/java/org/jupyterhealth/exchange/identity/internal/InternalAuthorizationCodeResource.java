package org.jupyterhealth.exchange.identity.internal;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jupyterhealth.exchange.identity.code.InvitationCodeService;
import org.jupyterhealth.exchange.identity.web.ValidationException;

import io.smallrye.mutiny.Uni;

/** Authorization codes for patient invitations, for admin-service only (docs/internal-api.md). */
@Path("/internal/authorization-codes")
@RolesAllowed("internal")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InternalAuthorizationCodeResource {
    private final InvitationCodeService invitations;

    public InternalAuthorizationCodeResource(InvitationCodeService invitations) {
        this.invitations = invitations;
    }

    @POST
    public Uni<Response> issue(AuthorizationCodeRequest request) {
        if (request == null) {
            throw new ValidationException("userId", "This field is required.");
        }
        return invitations.issueInvitationCode(new InvitationCodeService.InvitationRequest(request.userId(),
                request.clientId(), request.codeChallenge(), request.codeChallengeMethod(), request.scope(),
                request.redirectUri(), request.expiresInSeconds()))
                .map(invitation -> Response.status(201).entity(new AuthorizationCodeResponse(
                        invitation.code().code(), invitation.client().clientId(), invitation.redirectUri(),
                        invitation.code().expiresAt())).build());
    }
}
