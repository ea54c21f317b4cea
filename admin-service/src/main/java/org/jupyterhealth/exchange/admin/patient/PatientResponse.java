package org.jupyterhealth.exchange.admin.patient;

import java.time.LocalDate;
import java.util.List;

import org.jupyterhealth.exchange.admin.organization.OrganizationResponse;

/**
 * A patient (docs/compatibility.md#patients) in the superset shape of docs/compatibility.md#response-shapes: the
 * original's {@code identifiers} and {@code organizations}, and the guide's {@code identifier} (the first identifier's
 * value) and {@code organizationId} (the organization the request was about, else the first one).
 */
public record PatientResponse(long id, Long jheUserId, String identifier, List<Identifier> identifiers,
        String nameFamily, String nameGiven, LocalDate birthDate, String telecomPhone, String telecomEmail,
        Long organizationId, List<OrganizationResponse> organizations) implements PatientMatch {

    public record Identifier(long id, String system, String value) {
    }

    public PatientResponse inOrganization(Long wanted) {
        if (wanted == null || organizations.stream().noneMatch(o -> o.id() == wanted)) {
            return this;
        }
        return new PatientResponse(id, jheUserId, identifier, identifiers, nameFamily, nameGiven, birthDate,
                telecomPhone, telecomEmail, wanted, organizations);
    }
}
