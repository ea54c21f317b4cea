package org.jupyterhealth.exchange.admin.security;

/**
 * The caller with what admin-service knows of it: its practitioner and patient records (either may be null).
 * A caller is a patient when a patient record is linked to its account, a practitioner when a practitioner record
 * is (created on first need for accounts whose token says {@code user_type=practitioner}).
 */
public record Caller(CurrentUser user, Long practitionerId, Long patientId) {

    public long userId() {
        return user.id();
    }

    public boolean superuser() {
        return user.superuser();
    }

    public boolean isPatient() {
        return patientId != null;
    }

    public boolean isPractitioner() {
        return practitionerId != null;
    }
}
