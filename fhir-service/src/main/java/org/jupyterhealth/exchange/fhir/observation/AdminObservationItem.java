package org.jupyterhealth.exchange.fhir.observation;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * An observation in the admin API's dialect, a superset of both shapes: the original's fields ({@code
 * subjectPatientId}, {@code patientNameFamily}, {@code codeableConceptId}, {@code codingText}, {@code omhData}, ...)
 * and the guide's ({@code subjectPatient}, {@code patientNameDisplay}, {@code codeableConcept}, {@code dataSource},
 * {@code status}, {@code valueAttachmentData}, {@code created}). The Open mHealth JSON keeps its own snake_case keys.
 */
public record AdminObservationItem(long id, long subjectPatientId, long subjectPatient, String patientNameFamily,
        String patientNameGiven, String patientNameDisplay, Long jheUserId, Long codeableConceptId,
        Long codeableConcept, String codingSystem, String codingCode, String codingText, Long dataSource,
        String status, OffsetDateTime lastUpdated, OffsetDateTime created, @JsonRawValue String omhData,
        @JsonRawValue String valueAttachmentData) {
}
