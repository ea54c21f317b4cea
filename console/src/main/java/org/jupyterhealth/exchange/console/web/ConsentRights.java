package org.jupyterhealth.exchange.console.web;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.jupyterhealth.exchange.console.api.AdminModel.Organization;
import org.jupyterhealth.exchange.console.api.AdminModel.Patient;
import org.jupyterhealth.exchange.console.api.AdminModel.Profile;
import org.jupyterhealth.exchange.console.api.AdminModel.StudyConsents;

/**
 * Which consents the user may change and whether they may invite the patient, to leave the controls out where the admin API would refuse: a superuser's,
 * or a manager's or member's in the study's organization (a viewer only reads). The admin API checks again.
 */
public record ConsentRights(boolean superuser, Set<Long> organizations) {

    static ConsentRights of(Profile me, List<Organization> mine) {
        return new ConsentRights(me.isSuperuser(), mine.stream()
                .filter(o -> "manager".equals(o.currentUserRole()) || "member".equals(o.currentUserRole()))
                .map(Organization::id).collect(Collectors.toUnmodifiableSet()));
    }

    /** Whether the user may invite the patient: as a manager or member of one of the patient's organizations. */
    public boolean canInvite(Patient patient) {
        if (superuser || patient.organizationId() != null && organizations.contains(patient.organizationId())) {
            return true;
        }
        return patient.organizations() != null
                && patient.organizations().stream().anyMatch(o -> organizations.contains(o.id()));
    }

    public boolean canChange(StudyConsents study) {
        return superuser || study.organization() != null && organizations.contains(study.organization().id());
    }
}
