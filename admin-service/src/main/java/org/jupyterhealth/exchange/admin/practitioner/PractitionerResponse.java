package org.jupyterhealth.exchange.admin.practitioner;

import java.util.List;

import org.jupyterhealth.exchange.admin.organization.OrganizationResponse;

/** A practitioner with the organizations it belongs to, each with its role there. */
public record PractitionerResponse(long id, long jheUserId, String nameFamily, String nameGiven,
        String telecomEmail, List<OrganizationResponse> organizations) {
}
