package org.jupyterhealth.exchange.admin.organization;

import org.jupyterhealth.exchange.admin.practitioner.PractitionerSummary;

/** A practitioner's role in an organization, as {@code POST /organizations/{id}/user} answers it. */
public record MembershipResponse(long id, OrganizationResponse organization, PractitionerSummary practitioner,
        String role) {
}
