package org.jupyterhealth.exchange.admin.patient;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A patient as fhir-service renders it (docs/internal-api.md): the record with its identifiers and the ids of its
 * organizations, and when it last changed.
 */
public record PatientRecord(long id, Long jheUserId, String nameFamily, String nameGiven, LocalDate birthDate,
        String telecomPhone, String telecomEmail, List<Identifier> identifiers, List<Long> organizationIds,
        OffsetDateTime lastUpdated) {

    public record Identifier(String system, String value) {
    }
}
