package org.jupyterhealth.exchange.admin.user;

import org.jupyterhealth.exchange.admin.patient.PatientResponse;

/** A user in lists and look-ups (docs/compatibility.md#users): {@code patient} is the patient record or null. */
public record UserResponse(long id, String email, String firstName, String lastName, PatientResponse patient,
        String userType, boolean isSuperuser) {
}
