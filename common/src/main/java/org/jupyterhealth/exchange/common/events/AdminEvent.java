package org.jupyterhealth.exchange.common.events;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * A domain event of admin-service on topic {@code admin-events} (key: the patient id, or the organization id when
 * there is no patient). Consumers purge data or drop cached access decisions; fields that do not apply are null.
 */
public record AdminEvent(Type type, Long patientId, Long studyId, Long organizationId, Long practitionerUserId,
        Instant occurredAt, @JsonInclude(JsonInclude.Include.NON_NULL) Long fhirSourceId) {

    /** An event about no FHIR source (all but {@link Type#FHIR_SOURCE_DELETED}). */
    public AdminEvent(Type type, Long patientId, Long studyId, Long organizationId, Long practitionerUserId,
            Instant occurredAt) {
        this(type, patientId, studyId, organizationId, practitionerUserId, occurredAt, null);
    }

    public enum Type {
        /** The patient and its data are gone: ingest-service deletes its observations. */
        PATIENT_DELETED,
        /** A consent of the patient was given, changed or withdrawn. */
        CONSENT_CHANGED,
        /** A patient was enrolled in or removed from a study. */
        ENROLMENT_CHANGED,
        /** A patient's or a practitioner's organization membership or role changed. */
        MEMBERSHIP_CHANGED,
        /**
         * The patient's FHIR source {@code fhirSourceId} was deleted: ingest-service deletes the resources written
         * through it.
         */
        FHIR_SOURCE_DELETED
    }
}
