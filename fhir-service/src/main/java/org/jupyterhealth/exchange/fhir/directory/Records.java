package org.jupyterhealth.exchange.fhir.directory;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** Records admin-service keeps and fhir-service renders (docs/internal-api.md), read-only here. */
public final class Records {
    private Records() {
    }

    public record Identifier(String system, String value) {
    }

    public record PatientRecord(long id, Long jheUserId, String nameFamily, String nameGiven, LocalDate birthDate,
            String telecomPhone, String telecomEmail, List<Identifier> identifiers, List<Long> organizationIds,
            OffsetDateTime lastUpdated) {

        public List<Identifier> identifiers() {
            return identifiers == null ? List.of() : identifiers;
        }

        public List<Long> organizationIds() {
            return organizationIds == null ? List.of() : organizationIds;
        }
    }

    public record StudyRecord(long id, String name, String description, Long organizationId,
            OffsetDateTime lastUpdated) {
    }

    public record OrganizationRecord(long id, String name, String type, Long partOf, OffsetDateTime lastUpdated) {
    }

    public record DataSourceRecord(long id, String name, String type, OffsetDateTime lastUpdated) {
    }

    public record PractitionerRecord(long id, String identifier, String nameFamily, String nameGiven,
            OffsetDateTime lastUpdated) {
    }

    public record CodeRecord(long id, String system, String code, String text) {
    }
}
