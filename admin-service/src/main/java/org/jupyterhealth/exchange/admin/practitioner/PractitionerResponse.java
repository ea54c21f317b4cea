package org.jupyterhealth.exchange.admin.practitioner;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.account.Activation;
import org.jupyterhealth.exchange.admin.organization.OrganizationResponse;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;

/**
 * A practitioner with the organizations it belongs to, each with its role there. The answer to a create that opened a
 * new account also tells until when its activation link works, and carries the link itself only where this exchange
 * sends no e-mail ({@code jhe.admin.mail.enabled=false}); otherwise the link went to the practitioner by e-mail.
 */
public record PractitionerResponse(long id, long jheUserId, String nameFamily, String nameGiven,
        String telecomEmail, List<OrganizationResponse> organizations,
        @JsonInclude(Include.NON_NULL) @Schema(description = "only in the answer to a create that opened a new "
                + "account, and only when e-mail is off: the one-time link to hand to the practitioner")
        String activationLink,
        @JsonInclude(Include.NON_NULL) @Schema(description = "only in the answer to a create that opened a new "
                + "account: when its activation link stops working") Instant activationExpiresAt) {

    public PractitionerResponse(long id, long jheUserId, String nameFamily, String nameGiven, String telecomEmail,
            List<OrganizationResponse> organizations) {
        this(id, jheUserId, nameFamily, nameGiven, telecomEmail, organizations, null, null);
    }

    /** This answer with the new account's activation: the link only when it was not e-mailed. */
    public PractitionerResponse withActivation(Activation activation, boolean mailed) {
        if (activation == null) {
            return this;
        }
        return new PractitionerResponse(id, jheUserId, nameFamily, nameGiven, telecomEmail, organizations,
                mailed ? null : activation.link(), activation.expiresAt());
    }
}
