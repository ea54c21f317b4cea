package org.jupyterhealth.exchange.admin.practitioner;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.account.Activation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;

/**
 * The answer to {@code POST /api/v1/practitioners/{id}/activation}: until when the new link works, and the link itself
 * only where this exchange sends no e-mail ({@code jhe.admin.mail.enabled=false}); otherwise it went by e-mail.
 */
@Schema(name = "ActivationResponse")
public record ActivationResponse(
        @JsonInclude(Include.NON_NULL) @Schema(description = "only when e-mail is off: the one-time link to hand to "
                + "the practitioner") String activationLink,
        @Schema(required = true) Instant activationExpiresAt) {

    static ActivationResponse of(Activation activation, boolean mailed) {
        return new ActivationResponse(mailed ? null : activation.link(), activation.expiresAt());
    }
}
