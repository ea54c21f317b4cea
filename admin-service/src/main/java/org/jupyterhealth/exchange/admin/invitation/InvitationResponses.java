package org.jupyterhealth.exchange.admin.invitation;

import java.time.OffsetDateTime;

import org.jupyterhealth.exchange.admin.invitation.InvitationRepository.Invitation;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The answers of the invitation API (docs/compatibility.md#invitations), under the original's names: camelCase but
 * for {@code client_id} and the OAuth fields of a redemption.
 */
public final class InvitationResponses {
    private InvitationResponses() {
    }

    /** An invitation as listed and read: its token was shown once, when it was issued, and is null here. */
    public record InvitationResponse(long id, long patientId, @JsonProperty("client_id") long clientId,
            String tokenHash, String token, String status, OffsetDateTime lastUpdated) {

        static InvitationResponse of(Invitation invitation) {
            return new InvitationResponse(invitation.id(), invitation.patientId(), invitation.clientId(),
                    invitation.tokenHash(), null, invitation.status(), invitation.lastUpdated());
        }
    }

    /** A new invitation, with the only sight of its token and the link that carries it. */
    public record IssuedInvitationResponse(long id, long patientId, @JsonProperty("client_id") long clientId,
            String tokenHash, String token, String status, OffsetDateTime lastUpdated, String invitationLink) {

        static IssuedInvitationResponse of(Invitation invitation, String token, String invitationLink) {
            return new IssuedInvitationResponse(invitation.id(), invitation.patientId(), invitation.clientId(),
                    invitation.tokenHash(), token, invitation.status(), invitation.lastUpdated(), invitationLink);
        }
    }

    /** The guide's invitation link, which carries an authorization code for the patient. */
    public record InvitationLinkResponse(String invitationLink) {
    }

    /** A redeemed invitation: the grant the app sends to the token endpoint. */
    public record RedemptionResponse(GrantResponse grant, @JsonProperty("token_endpoint") String tokenEndpoint,
            String expires) {
    }

    /** The parameters of the authorization-code grant, under their OAuth names. */
    public record GrantResponse(@JsonProperty("grant_type") String grantType,
            @JsonProperty("redirect_uri") String redirectUri, @JsonProperty("client_id") String clientId,
            String code) {
    }
}
