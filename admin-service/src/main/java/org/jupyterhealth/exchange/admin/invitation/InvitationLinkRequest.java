package org.jupyterhealth.exchange.admin.invitation;

import jakarta.ws.rs.core.UriInfo;

import org.jupyterhealth.exchange.admin.web.QueryParams;

/**
 * The query of {@code GET /patients/{id}/invitation_link} (docs/compatibility.md#invitations): the patient app's
 * number, as {@code application_id} or, the original's other name for it, {@code client_id}; null when neither is
 * given, for the first app of the patient's studies that has an invitation URL; {@code send_email=true} to have the
 * link e-mailed to the patient as well.
 */
public record InvitationLinkRequest(Long applicationId, boolean sendEmail) {

    /** {@code client_id} is read only when {@code application_id} is absent: the first one given wins. */
    public static InvitationLinkRequest of(UriInfo uri) {
        QueryParams q = QueryParams.of(uri);
        Long applicationId = q.id("application_id");
        return new InvitationLinkRequest(applicationId != null ? applicationId : q.id("client_id"),
                q.flag("send_email"));
    }
}
