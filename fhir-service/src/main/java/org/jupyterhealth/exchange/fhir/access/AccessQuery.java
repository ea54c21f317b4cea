package org.jupyterhealth.exchange.fhir.access;

/** One access question: what may user U read, narrowed to an organization, a study or a patient (each optional). */
public record AccessQuery(long userId, Long organizationId, Long studyId, Long patientId) {

    public static AccessQuery of(long userId) {
        return new AccessQuery(userId, null, null, null);
    }

    public AccessQuery withOrganization(Long id) {
        return new AccessQuery(userId, id, studyId, patientId);
    }

    public AccessQuery withStudy(Long id) {
        return new AccessQuery(userId, organizationId, id, patientId);
    }

    public AccessQuery withPatient(Long id) {
        return new AccessQuery(userId, organizationId, studyId, id);
    }
}
