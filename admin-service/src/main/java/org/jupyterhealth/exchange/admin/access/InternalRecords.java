package org.jupyterhealth.exchange.admin.access;

import java.time.OffsetDateTime;
import java.util.List;

/** The records fhir-service renders as FHIR resources besides patients (docs/internal-api.md), and a search's page. */
public final class InternalRecords {
    private InternalRecords() {
    }

    /** A page of a search: the rows of the page, and how many match in all. */
    public record SearchResult<T>(long total, List<T> results) {
    }

    /** Which page of a search: at most {@code count} rows from {@code offset}. */
    public record RecordPage(int count, long offset) {
    }

    public record CodeRecord(long id, String system, String code, String text) {
    }

    public record StudyRecord(long id, String name, String description, long organizationId, String iconUrl,
            OffsetDateTime lastUpdated) {
    }

    public record OrganizationRecord(long id, String name, String type, Long partOf, OffsetDateTime lastUpdated) {
    }

    public record DataSourceRecord(long id, String name, String type, OffsetDateTime lastUpdated) {
    }

    public record PractitionerRecord(long id, String identifier, String nameFamily, String nameGiven,
            OffsetDateTime lastUpdated) {
    }
}
