package org.jupyterhealth.exchange.console.web;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.jupyterhealth.exchange.console.api.AdminModel.Organization;
import org.jupyterhealth.exchange.console.api.AdminModel.Profile;
import org.jupyterhealth.exchange.console.api.AdminModel.StudyConsents;

/**
 * Whose consents the user may change, to leave the controls out where the admin API would refuse: a superuser's,
 * or a manager's or member's in the study's organization (a viewer only reads). The admin API checks again.
 */
public record ConsentRights(boolean superuser, Set<Long> organizations) {

    static ConsentRights of(Profile me, List<Organization> mine) {
        return new ConsentRights(me.isSuperuser(), mine.stream()
                .filter(o -> "manager".equals(o.currentUserRole()) || "member".equals(o.currentUserRole()))
                .map(Organization::id).collect(Collectors.toUnmodifiableSet()));
    }

    public boolean canChange(StudyConsents study) {
        return superuser || study.organization() != null && organizations.contains(study.organization().id());
    }
}
