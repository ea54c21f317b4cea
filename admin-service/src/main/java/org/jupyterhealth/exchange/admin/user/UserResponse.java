package org.jupyterhealth.exchange.admin.user;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.account.Activation;
import org.jupyterhealth.exchange.admin.patient.PatientResponse;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;

/**
 * A user in lists and look-ups (docs/compatibility.md#users): {@code patient} is the patient record or null. The
 * answer to a create that opened a new staff account also tells until when its activation link works, and carries the
 * link itself only where this exchange sends no e-mail ({@code jhe.admin.mail.enabled=false}).
 */
public record UserResponse(long id, String email, String firstName, String lastName, PatientResponse patient,
        String userType, boolean isSuperuser,
        @JsonInclude(Include.NON_NULL) @Schema(description = "only in the answer to a create that opened a new "
                + "account, and only when e-mail is off: the one-time link to hand to the user")
        String activationLink,
        @JsonInclude(Include.NON_NULL) @Schema(description = "only in the answer to a create that opened a new "
                + "account: when its activation link stops working") Instant activationExpiresAt) {

    public UserResponse(long id, String email, String firstName, String lastName, PatientResponse patient,
            String userType, boolean isSuperuser) {
        this(id, email, firstName, lastName, patient, userType, isSuperuser, null, null);
    }

    /** This answer with the new account's activation: the link only when it was not e-mailed. */
    public UserResponse withActivation(Activation activation, boolean mailed) {
        if (activation == null) {
            return this;
        }
        return new UserResponse(id, email, firstName, lastName, patient, userType, isSuperuser,
                mailed ? null : activation.link(), activation.expiresAt());
    }
}
