package org.jupyterhealth.exchange.admin.openapi;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The request bodies of the admin API, for its OpenAPI document only (resources read bodies by field name, in
 * camelCase or snake_case: docs/compatibility.md#keys).
 */
public final class RequestBodies {
    private RequestBodies() {
    }

    @Schema(name = "InvitationRequest")
    public record Invitation(@Schema(required = true) long patientId,
            @Schema(required = true, description = "the patient app's client number") long clientId,
            @Schema(description = "accepted; this version sends no e-mail: pass on the answer's invitationLink")
            boolean sendEmail) {
    }
}
