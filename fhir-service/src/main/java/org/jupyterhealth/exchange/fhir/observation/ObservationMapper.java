package org.jupyterhealth.exchange.fhir.observation;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Date;

import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r5.model.Attachment;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.DateTimeType;
import org.hl7.fhir.r5.model.Enumerations.ObservationStatus;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.InstantType;
import org.hl7.fhir.r5.model.Observation;
import org.hl7.fhir.r5.model.Period;
import org.hl7.fhir.r5.model.Reference;
import org.jupyterhealth.exchange.fhir.directory.Records.CodeRecord;
import org.jupyterhealth.exchange.fhir.directory.Records.PatientRecord;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;

/**
 * An observation of the store as a FHIR R5 Observation, as the original renders it and more: its stored status,
 * {@code meta.lastUpdated} and {@code meta.source}, the code with its display, {@code effectiveDateTime} or
 * {@code effectivePeriod}, the subject with the patient's user id, the device when the data source is known, and
 * the Open mHealth JSON as a base64 attachment.
 */
public final class ObservationMapper {
    public static final String SOURCE = "https://jupyterhealth.org/jhe";
    public static final String JHE_USER_ID_SYSTEM = "https://jupyterhealth.org/fhir/identifier/jhe-user-id";

    private ObservationMapper() {
    }

    public static Observation toFhir(StoredObservation row, PatientRecord patient, CodeRecord code) {
        Observation observation = new Observation();
        observation.setId(Long.toString(row.id()));
        observation.getMeta().setLastUpdatedElement(instant(row.lastUpdated())).setSource(SOURCE);
        row.identifiers().forEach(i -> observation.addIdentifier(new Identifier().setSystem(i.system()).setValue(i.value())));
        observation.setStatus(status(row.status()));
        Coding coding = new Coding().setSystem(row.system()).setCode(row.code());
        if (code != null && code.text() != null) {
            coding.setDisplay(code.text());
        }
        observation.setCode(new CodeableConcept().addCoding(coding));
        if (row.effectiveDateTime() != null) {
            observation.setEffective(dateTime(row.effectiveDateTime()));
        } else if (row.effectivePeriodStart() != null || row.effectivePeriodEnd() != null) {
            Period period = new Period();
            if (row.effectivePeriodStart() != null) {
                period.setStartElement(dateTime(row.effectivePeriodStart()));
            }
            if (row.effectivePeriodEnd() != null) {
                period.setEndElement(dateTime(row.effectivePeriodEnd()));
            }
            observation.setEffective(period);
        }
        Reference subject = new Reference("Patient/" + row.patientId());
        if (patient != null && patient.jheUserId() != null) {
            subject.setIdentifier(new Identifier().setSystem(JHE_USER_ID_SYSTEM).setValue(patient.jheUserId().toString()));
        }
        observation.setSubject(subject);
        if (row.dataSourceId() != null) {
            observation.setDevice(new Reference("Device/" + row.dataSourceId()));
        }
        observation.setValue(new Attachment().setContentType("application/json")
                .setData(row.omhJson().getBytes(StandardCharsets.UTF_8)));
        return observation;
    }

    static ObservationStatus status(String stored) {
        try {
            return ObservationStatus.fromCode(stored);
        } catch (FHIRException | IllegalArgumentException e) {
            return ObservationStatus.UNKNOWN;
        }
    }

    static InstantType instant(OffsetDateTime value) {
        InstantType instant = new InstantType(Date.from(value.toInstant()),
                TemporalPrecisionEnum.MILLI);
        instant.setTimeZoneZulu(true);
        return instant;
    }

    static DateTimeType dateTime(OffsetDateTime value) {
        DateTimeType type = new DateTimeType(Date.from(value.toInstant()), TemporalPrecisionEnum.SECOND);
        if (value.getNano() != 0) {
            type.setPrecision(TemporalPrecisionEnum.MILLI);
        }
        type.setTimeZoneZulu(true);
        return type;
    }
}
