package org.jupyterhealth.exchange.fhir.patient;

import java.util.Date;

import org.hl7.fhir.r5.model.ContactPoint.ContactPointSystem;
import org.hl7.fhir.r5.model.ContactPoint.ContactPointUse;
import org.hl7.fhir.r5.model.DateType;
import org.hl7.fhir.r5.model.HumanName;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.InstantType;
import org.hl7.fhir.r5.model.Patient;
import org.jupyterhealth.exchange.fhir.directory.Records.PatientRecord;
import org.jupyterhealth.exchange.fhir.observation.ObservationMapper;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;

/**
 * A patient record as a FHIR R5 Patient, as the original renders it: identifiers with their own systems, the name,
 * birth date, telecom (phone as mobile, then e-mail as home); empty values are left out.
 */
public final class PatientMapper {
    private PatientMapper() {
    }

    public static Patient toFhir(PatientRecord record) {
        Patient patient = new Patient();
        patient.setId(Long.toString(record.id()));
        patient.getMeta().setSource(ObservationMapper.SOURCE);
        if (record.lastUpdated() != null) {
            InstantType updated = new InstantType(Date.from(record.lastUpdated().toInstant()), TemporalPrecisionEnum.MILLI);
            updated.setTimeZoneZulu(true);
            patient.getMeta().setLastUpdatedElement(updated);
        }
        record.identifiers().stream()
                .filter(i -> i.value() != null && !i.value().isBlank())
                .forEach(i -> patient.addIdentifier(new Identifier().setSystem(i.system()).setValue(i.value())));
        if (notBlank(record.nameFamily()) || notBlank(record.nameGiven())) {
            HumanName name = patient.addName();
            if (notBlank(record.nameFamily())) {
                name.setFamily(record.nameFamily());
            }
            if (notBlank(record.nameGiven())) {
                name.addGiven(record.nameGiven());
            }
        }
        if (record.birthDate() != null) {
            patient.setBirthDateElement(new DateType(record.birthDate().toString()));
        }
        if (notBlank(record.telecomPhone())) {
            patient.addTelecom().setSystem(ContactPointSystem.PHONE).setValue(record.telecomPhone())
                    .setUse(ContactPointUse.MOBILE);
        }
        if (notBlank(record.telecomEmail())) {
            patient.addTelecom().setSystem(ContactPointSystem.EMAIL).setValue(record.telecomEmail())
                    .setUse(ContactPointUse.HOME);
        }
        return patient;
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}
