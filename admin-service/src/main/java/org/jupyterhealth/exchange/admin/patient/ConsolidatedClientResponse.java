package org.jupyterhealth.exchange.admin.patient;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A patient app of a study the patient is enrolled in, with the patient's invitations to it
 * ({@code GET /patients/{id}/consolidated_clients}, docs/compatibility.md#patients).
 */
public record ConsolidatedClientResponse(long id, String name, String clientId, String invitationUrl,
        List<Invitation> patientInvitations) {

    /** An invitation as the original listed it: the client under {@code client_id}, the token never shown. */
    public record Invitation(long id, long patientId, @JsonProperty("client_id") long clientId, String tokenHash,
            String token, String status, OffsetDateTime lastUpdated) {
    }
}
