package org.jupyterhealth.exchange.admin.access;

import java.time.LocalDate;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.access.AccessService.Scope;
import org.jupyterhealth.exchange.admin.access.InternalRecords.CodeRecord;
import org.jupyterhealth.exchange.admin.access.InternalRecords.DataSourceRecord;
import org.jupyterhealth.exchange.admin.access.InternalRecords.OrganizationRecord;
import org.jupyterhealth.exchange.admin.access.InternalRecords.PractitionerRecord;
import org.jupyterhealth.exchange.admin.access.InternalRecords.RecordPage;
import org.jupyterhealth.exchange.admin.access.InternalRecords.SearchResult;
import org.jupyterhealth.exchange.admin.access.InternalRecords.StudyRecord;
import org.jupyterhealth.exchange.admin.patient.PatientRecord;
import org.jupyterhealth.exchange.admin.patient.PatientRepository;

import io.smallrye.mutiny.Uni;

/**
 * The records fhir-service renders as FHIR resources (docs/internal-api.md), in bulk. The searches apply the
 * visibility of the access decisions ({@link AccessService}): a user sees the records of its own organizations,
 * their studies and patients, and a patient its own.
 */
@ApplicationScoped
public class RecordService {
    private final AccessService access;
    private final AccessRepository records;
    private final PatientRepository patients;

    public RecordService(AccessService access, AccessRepository records, PatientRepository patients) {
        this.access = access;
        this.records = records;
        this.patients = patients;
    }

    /** The filters of the FHIR Patient search (docs/compatibility.md#fhir-search); null does not filter. */
    public record PatientSearch(Scope scope, Long[] ids, String identifierSystem, String identifierValue,
            String family, String given, String name, LocalDate birthDate) {
    }

    /** The patients of these ids, in that order; unknown ids are skipped. */
    public Uni<List<PatientRecord>> patients(List<Long> ids) {
        return patients.findRecordsByIds(ids);
    }

    /** The patients the user may see that match, by family name then id; a filter outside its reach is a 403. */
    public Uni<SearchResult<PatientRecord>> searchPatients(Long userId, PatientSearch search, RecordPage page) {
        return access.subject(userId)
                .call(subject -> access.checkScope(subject, search.scope()))
                .flatMap(subject -> access.visiblePatients(subject, search.scope()))
                .flatMap(visible -> patients.searchIds(visible, search.ids(), search.identifierSystem(),
                        search.identifierValue(), search.family(), search.given(), search.name(),
                        search.birthDate()))
                .flatMap(matching -> {
                    List<Long> onPage = matching.stream().skip(page.offset()).limit(page.count()).toList();
                    return patients.findRecordsByIds(onPage)
                            .map(found -> new SearchResult<>(matching.size(), found));
                });
    }

    /** Studies of the user's organizations, or a patient's own; filtered by ids, name prefix, organization, patient. */
    public Uni<SearchResult<StudyRecord>> searchStudies(Long userId, Long[] ids, String name, Long organizationId,
            Long patientId, RecordPage page) {
        return access.subject(userId).flatMap(subject -> records
                .countStudies(subject, ids, name, organizationId, patientId)
                .flatMap(total -> records.listStudies(subject, ids, name, organizationId, patientId, page)
                        .map(rows -> new SearchResult<>(total, rows))));
    }

    /** Organizations the user belongs to (practitioner or patient); filtered by ids and name prefix. */
    public Uni<SearchResult<OrganizationRecord>> searchOrganizations(Long userId, Long[] ids, String name,
            RecordPage page) {
        return access.subject(userId).flatMap(subject -> records.countOrganizations(subject, ids, name)
                .flatMap(total -> records.listOrganizations(subject, ids, name, page)
                        .map(rows -> new SearchResult<>(total, rows))));
    }

    /** Practitioners sharing an organization with the user; filtered by ids, name prefix and identifier. */
    public Uni<SearchResult<PractitionerRecord>> searchPractitioners(Long userId, Long[] ids, String name,
            String identifier, RecordPage page) {
        return access.subject(userId).flatMap(subject -> records.countPractitioners(subject, ids, name, identifier)
                .flatMap(total -> records.listPractitioners(subject, ids, name, identifier, page)
                        .map(rows -> new SearchResult<>(total, rows))));
    }

    /** Data sources linked to the studies the user may see; filtered by ids. */
    public Uni<SearchResult<DataSourceRecord>> searchDataSources(Long userId, Long[] ids, RecordPage page) {
        return access.subject(userId).flatMap(subject -> records.countDataSources(subject, ids)
                .flatMap(total -> records.listDataSources(subject, ids, page)
                        .map(rows -> new SearchResult<>(total, rows))));
    }

    public Uni<List<CodeRecord>> codes() {
        return records.listCodes();
    }
}
