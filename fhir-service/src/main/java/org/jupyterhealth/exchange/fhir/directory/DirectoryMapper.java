package org.jupyterhealth.exchange.fhir.directory;

import java.time.OffsetDateTime;
import java.util.Date;

import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Device;
import org.hl7.fhir.r5.model.Enumerations;
import org.hl7.fhir.r5.model.Group;
import org.hl7.fhir.r5.model.Group.GroupMembershipBasis;
import org.hl7.fhir.r5.model.Group.GroupType;
import org.hl7.fhir.r5.model.HumanName;
import org.hl7.fhir.r5.model.InstantType;
import org.hl7.fhir.r5.model.Organization;
import org.hl7.fhir.r5.model.Practitioner;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.Resource;
import org.jupyterhealth.exchange.fhir.directory.Records.DataSourceRecord;
import org.jupyterhealth.exchange.fhir.directory.Records.OrganizationRecord;
import org.jupyterhealth.exchange.fhir.directory.Records.PractitionerRecord;
import org.jupyterhealth.exchange.fhir.directory.Records.StudyRecord;
import org.jupyterhealth.exchange.fhir.observation.ObservationMapper;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;

/**
 * Studies, organizations, data sources and practitioners as FHIR R5 Group, Organization, Device and Practitioner (as the original, made valid
 * R5: a study is an enumerated Group of persons whose {@code code} says "study"; the model kind is a coding of the
 * exchange's model code system).
 */
public final class DirectoryMapper {
    public static final String MODEL = "https://jupyterhealth.org/fhir/CodeSystem/model";
    public static final String ORGANIZATION_TYPE = "https://jupyterhealth.org/fhir/CodeSystem/organization-type";
    public static final String DATA_SOURCE_TYPE = "https://jupyterhealth.org/fhir/CodeSystem/data-source-type";
    /** The system of a practitioner's identifier (the one an EHR launch's {@code fhirUser} names it by). */
    public static final String PRACTITIONER_IDENTIFIER = "https://jupyterhealth.org/fhir/identifier/practitioner";

    private DirectoryMapper() {
    }

    public static Group group(StudyRecord study) {
        Group group = new Group();
        meta(group, study.id(), study.lastUpdated());
        group.setType(GroupType.PERSON);
        group.setMembership(GroupMembershipBasis.ENUMERATED);
        group.setName(study.name());
        if (study.description() != null && !study.description().isBlank()) {
            group.setDescription(study.description());
        }
        group.setCode(new CodeableConcept(new Coding(MODEL, "study", null)));
        if (study.organizationId() != null) {
            group.setManagingEntity(new Reference("Organization/" + study.organizationId()));
        }
        return group;
    }

    public static Organization organization(OrganizationRecord record) {
        Organization organization = new Organization();
        meta(organization, record.id(), record.lastUpdated());
        organization.setName(record.name());
        CodeableConcept type = new CodeableConcept(new Coding(MODEL, "organization", null));
        if (record.type() != null && !record.type().isBlank()) {
            type.addCoding(new Coding(ORGANIZATION_TYPE, record.type(), null));
        }
        organization.addType(type);
        if (record.partOf() != null) {
            organization.setPartOf(new Reference("Organization/" + record.partOf()));
        }
        return organization;
    }

    public static Device device(DataSourceRecord record) {
        Device device = new Device();
        meta(device, record.id(), record.lastUpdated());
        if (record.name() != null) {
            device.addName().setValue(record.name())
                    .setType(Enumerations.DeviceNameType.USERFRIENDLYNAME);
        }
        CodeableConcept type = new CodeableConcept(new Coding(MODEL, "data-source", null));
        if (record.type() != null && !record.type().isBlank()) {
            type.addCoding(new Coding(DATA_SOURCE_TYPE, record.type(), null));
        }
        device.addType(type);
        return device;
    }

    /** A practitioner: its identifier (the exchange's own system) and its name, as the original renders it. */
    public static Practitioner practitioner(PractitionerRecord record) {
        Practitioner practitioner = new Practitioner();
        meta(practitioner, record.id(), record.lastUpdated());
        if (record.identifier() != null && !record.identifier().isBlank()) {
            practitioner.addIdentifier().setSystem(PRACTITIONER_IDENTIFIER).setValue(record.identifier());
        }
        boolean family = record.nameFamily() != null && !record.nameFamily().isBlank();
        boolean given = record.nameGiven() != null && !record.nameGiven().isBlank();
        if (family || given) {
            HumanName name = practitioner.addName();
            if (family) {
                name.setFamily(record.nameFamily());
            }
            if (given) {
                name.addGiven(record.nameGiven());
            }
        }
        return practitioner;
    }

    private static void meta(Resource resource, long id, OffsetDateTime lastUpdated) {
        resource.setId(Long.toString(id));
        resource.getMeta().setSource(ObservationMapper.SOURCE);
        if (lastUpdated != null) {
            InstantType instant = new InstantType(Date.from(lastUpdated.toInstant()), TemporalPrecisionEnum.MILLI);
            instant.setTimeZoneZulu(true);
            resource.getMeta().setLastUpdatedElement(instant);
        }
    }
}
