package org.jupyterhealth.exchange.admin.user;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.db.JsonText;
import org.jupyterhealth.exchange.admin.organization.OrganizationResponse;
import org.jupyterhealth.exchange.admin.patient.PatientResponse;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;

/**
 * {@code GET /api/v1/users/profile} (docs/compatibility.md#response-shapes): a patient's has no health data but its
 * identifiers and organizations; everyone else's has the original's fields plus the guide's {@code practitioner}.
 */
public sealed interface ProfileResponse {

    /** A patient's profile. */
    record OfPatient(long id, PatientProfile patient, String userType, boolean isSuperuser)
            implements ProfileResponse {
    }

    record PatientProfile(long id, Long jheUserId, List<PatientResponse.Identifier> identifiers,
            List<OrganizationResponse> organizations) {
    }

    /**
     * A practitioner's or an administrator's profile: {@code patient} is always null (the original's field, kept
     * for its clients), {@code settings} is there only for a practitioner.
     */
    record OfUser(long id, String email, String firstName, String lastName, Object patient, String userType,
            boolean isSuperuser,
            @JsonInclude(Include.NON_NULL) @Schema(implementation = Object.class) JsonText settings,
            PractitionerProfile practitioner) implements ProfileResponse {
    }

    record PractitionerProfile(long id, long jheUserId, List<OrganizationResponse> organizations) {
    }
}
