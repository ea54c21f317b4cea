package org.jupyterhealth.exchange.admin.invitation;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;

/**
 * The body of {@code POST /invitation} (docs/compatibility.md#invitations). That both ids are given is judged by the
 * service rather than by {@code @Required}: its one refusal names both ({@code patientId and client_id are
 * required.}). {@code sendEmail} is the original's flag (a JSON boolean): true queues the invitation e-mail.
 */
@Schema(name = "InvitationRequest")
public record InvitationRequest(
        @Schema(required = true) Long patientId,
        @Schema(required = true, description = "the patient app's client number") Long clientId,
        @Schema(description = "true: the invitation link is also e-mailed to the patient's address")
        Boolean sendEmail) implements AdminRequest {
}
