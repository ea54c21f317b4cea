package org.jupyterhealth.exchange.admin.access;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.access.AccessService.Code;
import org.jupyterhealth.exchange.admin.access.AccessService.Scope;
import org.jupyterhealth.exchange.admin.access.AccessService.Subject;
import org.jupyterhealth.exchange.admin.access.InternalRecords.CodeRecord;
import org.jupyterhealth.exchange.admin.access.InternalRecords.DataSourceRecord;
import org.jupyterhealth.exchange.admin.access.InternalRecords.OrganizationRecord;
import org.jupyterhealth.exchange.admin.access.InternalRecords.PractitionerRecord;
import org.jupyterhealth.exchange.admin.access.InternalRecords.RecordPage;
import org.jupyterhealth.exchange.admin.access.InternalRecords.StudyRecord;
import org.jupyterhealth.exchange.admin.db.Db;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;

/**
 * The SQL of the access decisions and of the records fhir-service renders (docs/architecture.md#access-decisions):
 * each answer is one statement (an upload's decision four, run together), because fhir-service and ingest-service
 * ask for every search and every upload.
 */
@ApplicationScoped
public class AccessRepository {
    /** Patient filters shared by the queries below ($2 organization, $3 study, $4 patient; pa = membership). */
    private static final String PATIENT_FILTERS = "($2::bigint IS NULL OR EXISTS (SELECT 1 FROM patient_organization "
            + "f WHERE f.patient_id = %1$s AND f.organization_id = $2)) "
            + "AND ($3::bigint IS NULL OR EXISTS (SELECT 1 FROM study_patient g WHERE g.patient_id = %1$s "
            + "AND g.study_id = $3)) AND ($4::bigint IS NULL OR %1$s = $4)";

    private final Db db;

    public AccessRepository(Db db) {
        this.db = db;
    }

    /** Whether each filter of a scope names something that exists, and whether the subject may see it. */
    public record ScopeFacts(boolean organizationExists, boolean studyExists, boolean patientExists,
            boolean organizationVisible, boolean studyVisible, boolean patientVisible) {
    }

    /** A code a patient's data may be read in. */
    public record PatientCode(long patientId, Code code) {
    }

    /** A code a patient consented to in at least one study. */
    public record ConsentedCode(long patientId, long codeId) {
    }

    /**
     * A practitioner sees organizations it belongs to, studies of those, patients sharing one; a patient its own
     * organizations and studies, and itself.
     */
    public Uni<ScopeFacts> findScopeFacts(Subject subject, Scope scope) {
        return db.one("SELECT "
                + "($2::bigint IS NULL OR EXISTS (SELECT 1 FROM organization WHERE id = $2)) AS org_exists, "
                + "($3::bigint IS NULL OR EXISTS (SELECT 1 FROM study WHERE id = $3)) AS study_exists, "
                + "($4::bigint IS NULL OR EXISTS (SELECT 1 FROM patient WHERE id = $4)) AS patient_exists, "
                + "($2::bigint IS NULL OR EXISTS (SELECT 1 FROM practitioner_organization WHERE practitioner_id = $1 "
                + "AND organization_id = $2) OR EXISTS (SELECT 1 FROM patient_organization WHERE patient_id = $5 "
                + "AND organization_id = $2)) AS org_visible, "
                + "($3::bigint IS NULL OR EXISTS (SELECT 1 FROM study s JOIN practitioner_organization m "
                + "ON m.organization_id = s.organization_id WHERE s.id = $3 AND m.practitioner_id = $1) "
                + "OR EXISTS (SELECT 1 FROM study_patient WHERE study_id = $3 AND patient_id = $5)) AS study_visible, "
                + "($4::bigint IS NULL OR COALESCE($4 = $5, FALSE) OR EXISTS (SELECT 1 FROM patient_organization pa "
                + "JOIN practitioner_organization m ON m.organization_id = pa.organization_id "
                + "WHERE pa.patient_id = $4 AND m.practitioner_id = $1)) AS patient_visible",
                row -> new ScopeFacts(row.getBoolean("org_exists"), row.getBoolean("study_exists"),
                        row.getBoolean("patient_exists"), row.getBoolean("org_visible"),
                        row.getBoolean("study_visible"), row.getBoolean("patient_visible")),
                subject.practitionerId(), scope.organizationId(), scope.studyId(), scope.patientId(),
                subject.patientId());
    }

    /** The patient itself, when the scope's filters keep it. */
    public Uni<List<Long>> listSelfInScope(long patientId, Scope scope) {
        return db.list("SELECT p.id FROM patient p WHERE p.id = $1 AND "
                + PATIENT_FILTERS.formatted("p.id"), row -> row.getLong(0), patientId,
                scope.organizationId(), scope.studyId(), scope.patientId());
    }

    /** The patients sharing an organization with the practitioner, in the scope, by id. */
    public Uni<List<Long>> listSharedInScope(long practitionerId, Scope scope) {
        return db.list("SELECT DISTINCT pa.patient_id FROM patient_organization pa WHERE pa.organization_id IN "
                + "(SELECT organization_id FROM practitioner_organization WHERE practitioner_id = $1) AND "
                + PATIENT_FILTERS.formatted("pa.patient_id") + " ORDER BY 1", row -> row.getLong(0),
                practitionerId, scope.organizationId(), scope.studyId(), scope.patientId());
    }

    /**
     * The codes each patient sharing an organization with the practitioner consented to in a study of an
     * organization they share (with a study filter: in that study, and requested by it).
     */
    public Uni<List<PatientCode>> listConsentedToPractitioner(long practitionerId, Scope scope) {
        return db.list("SELECT DISTINCT sp.patient_id, c.coding_system, c.coding_code FROM study_patient sp "
                + "JOIN study s ON s.id = sp.study_id "
                + "JOIN study_patient_scope_consent k ON k.study_patient_id = sp.id AND k.consented "
                + "JOIN codeable_concept c ON c.id = k.scope_code_id "
                + "WHERE s.organization_id IN (SELECT organization_id FROM practitioner_organization "
                + "WHERE practitioner_id = $1) "
                + "AND EXISTS (SELECT 1 FROM patient_organization pa WHERE pa.patient_id = sp.patient_id "
                + "AND pa.organization_id = s.organization_id) "
                + "AND ($3::bigint IS NULL OR (sp.study_id = $3 AND EXISTS (SELECT 1 FROM study_scope_request r "
                + "WHERE r.study_id = $3 AND r.scope_code_id = k.scope_code_id))) AND "
                + PATIENT_FILTERS.formatted("sp.patient_id"), AccessRepository::patientCode, practitionerId,
                scope.organizationId(), scope.studyId(), scope.patientId());
    }

    /** Every code for the patient itself (with a study filter: the codes that study requests). */
    public Uni<List<PatientCode>> listOwnCodes(long patientId, Scope scope) {
        return db.list("SELECT p.id AS patient_id, c.coding_system, c.coding_code FROM patient p "
                + "CROSS JOIN codeable_concept c WHERE p.id = $1 AND ($3::bigint IS NULL OR EXISTS (SELECT 1 "
                + "FROM study_scope_request r WHERE r.study_id = $3 AND r.scope_code_id = c.id)) AND "
                + PATIENT_FILTERS.formatted("p.id"), AccessRepository::patientCode, patientId,
                scope.organizationId(), scope.studyId(), scope.patientId());
    }

    private static PatientCode patientCode(Row row) {
        return new PatientCode(row.getLong(0), new Code(row.getString(1), row.getString(2)));
    }

    /**
     * The patients of these ids that exist, each with whether the practitioner (null: none) is a manager or member
     * of an organization it shares with the patient.
     */
    public Uni<Map<Long, Boolean>> findUploadRights(List<Long> patientIds, Long practitionerId) {
        return db.list("SELECT p.id, EXISTS (SELECT 1 FROM patient_organization pa "
                + "JOIN practitioner_organization m ON m.organization_id = pa.organization_id "
                + "WHERE pa.patient_id = p.id AND m.practitioner_id = $2 AND m.role IN ('manager', 'member')) "
                + "FROM patient p WHERE p.id = ANY($1)", row -> Map.entry(row.getLong(0), row.getBoolean(1)),
                Db.ids(patientIds), practitionerId).map(AccessRepository::toMap);
    }

    /** The type of each data source of these ids that exists. */
    public Uni<Map<Long, String>> findDataSourceTypes(List<Long> dataSourceIds) {
        return db.list("SELECT id, type FROM data_source WHERE id = ANY($1)",
                row -> Map.entry(row.getLong(0), row.getString(1)), (Object) Db.ids(dataSourceIds))
                .map(AccessRepository::toMap);
    }

    /** The id of every code. */
    public Uni<Map<Code, Long>> findCodeIds() {
        return db.list("SELECT id, coding_system, coding_code FROM codeable_concept",
                row -> Map.entry(new Code(row.getString(1), row.getString(2)), row.getLong(0)))
                .map(AccessRepository::toMap);
    }

    /** The codes these patients consented to in at least one study. */
    public Uni<Set<ConsentedCode>> findConsentedCodes(List<Long> patientIds) {
        return db.list("SELECT DISTINCT sp.patient_id, k.scope_code_id FROM study_patient sp "
                + "JOIN study_patient_scope_consent k ON k.study_patient_id = sp.id AND k.consented "
                + "WHERE sp.patient_id = ANY($1)", row -> new ConsentedCode(row.getLong(0), row.getLong(1)),
                (Object) Db.ids(patientIds)).map(HashSet::new);
    }

    private static <K, V> Map<K, V> toMap(List<Map.Entry<K, V>> entries) {
        Map<K, V> map = new HashMap<>();
        entries.forEach(e -> map.put(e.getKey(), e.getValue()));
        return map;
    }

    // ------------------------------------------------------------------------------------------------ records

    /** Studies of the practitioner's organizations or the patient's own ($1, $2), filtered ($3 to $6). */
    private static final String STUDIES = "WHERE (s.organization_id IN (SELECT organization_id FROM "
            + "practitioner_organization WHERE practitioner_id = $1) OR s.id IN (SELECT study_id FROM study_patient "
            + "WHERE patient_id = $2)) AND ($3::bigint[] IS NULL OR s.id = ANY($3)) AND ($4::text IS NULL OR s.name "
            + "ILIKE $4 || '%') AND ($5::bigint IS NULL OR s.organization_id = $5) AND ($6::bigint IS NULL OR s.id IN "
            + "(SELECT study_id FROM study_patient WHERE patient_id = $6))";

    public Uni<Long> countStudies(Subject subject, Long[] onlyIds, String name, Long organizationId,
            Long patientId) {
        return db.count("SELECT count(*) FROM study s " + STUDIES, subject.practitionerId(), subject.patientId(),
                onlyIds, name, organizationId, patientId);
    }

    public Uni<List<StudyRecord>> listStudies(Subject subject, Long[] onlyIds, String name, Long organizationId,
            Long patientId, RecordPage page) {
        return db.list("SELECT * FROM study s " + STUDIES + " ORDER BY s.name, s.id OFFSET " + page.offset()
                + " LIMIT " + page.count(), r -> new StudyRecord(r.getLong("id"), r.getString("name"),
                        r.getString("description"), r.getLong("organization_id"), r.getString("icon_url"),
                        r.getOffsetDateTime("last_updated")),
                subject.practitionerId(), subject.patientId(), onlyIds, name, organizationId, patientId);
    }

    /** Organizations the practitioner or the patient belongs to ($1, $2), filtered ($3, $4). */
    private static final String ORGANIZATIONS = "WHERE (o.id IN (SELECT organization_id FROM "
            + "practitioner_organization WHERE practitioner_id = $1) OR o.id IN (SELECT organization_id FROM "
            + "patient_organization WHERE patient_id = $2)) AND ($3::bigint[] IS NULL OR o.id = ANY($3)) "
            + "AND ($4::text IS NULL OR o.name ILIKE $4 || '%')";

    public Uni<Long> countOrganizations(Subject subject, Long[] onlyIds, String name) {
        return db.count("SELECT count(*) FROM organization o " + ORGANIZATIONS, subject.practitionerId(),
                subject.patientId(), onlyIds, name);
    }

    public Uni<List<OrganizationRecord>> listOrganizations(Subject subject, Long[] onlyIds, String name,
            RecordPage page) {
        return db.list("SELECT * FROM organization o " + ORGANIZATIONS + " ORDER BY o.name, o.id OFFSET "
                + page.offset() + " LIMIT " + page.count(), r -> new OrganizationRecord(r.getLong("id"),
                        r.getString("name"), r.getString("type"), r.getLong("part_of"),
                        r.getOffsetDateTime("last_updated")),
                subject.practitionerId(), subject.patientId(), onlyIds, name);
    }

    /** Data sources linked to the studies the practitioner or the patient may see ($1, $2), filtered ($3). */
    private static final String DATA_SOURCES = "WHERE d.id IN (SELECT l.data_source_id FROM study_data_source l "
            + "JOIN study s ON s.id = l.study_id WHERE s.organization_id IN (SELECT organization_id FROM "
            + "practitioner_organization WHERE practitioner_id = $1) OR s.id IN (SELECT study_id FROM "
            + "study_patient WHERE patient_id = $2)) AND ($3::bigint[] IS NULL OR d.id = ANY($3))";

    public Uni<Long> countDataSources(Subject subject, Long[] onlyIds) {
        return db.count("SELECT count(*) FROM data_source d " + DATA_SOURCES, subject.practitionerId(),
                subject.patientId(), onlyIds);
    }

    public Uni<List<DataSourceRecord>> listDataSources(Subject subject, Long[] onlyIds, RecordPage page) {
        return db.list("SELECT * FROM data_source d " + DATA_SOURCES + " ORDER BY d.name, d.id OFFSET "
                + page.offset() + " LIMIT " + page.count(), r -> new DataSourceRecord(r.getLong("id"),
                        r.getString("name"), r.getString("type"), r.getOffsetDateTime("last_updated")),
                subject.practitionerId(), subject.patientId(), onlyIds);
    }

    /**
     * Practitioners who share an organization with the practitioner or the patient ($1, $2), the practitioner
     * itself included, filtered by ids ($3), a prefix of the family or given name, case aside ($4; no pattern
     * characters), and an identifier ($5).
     */
    private static final String PRACTITIONERS = "WHERE pr.id IN (SELECT po.practitioner_id FROM "
            + "practitioner_organization po WHERE po.organization_id IN (SELECT organization_id FROM "
            + "practitioner_organization WHERE practitioner_id = $1) OR po.organization_id IN (SELECT organization_id "
            + "FROM patient_organization WHERE patient_id = $2)) AND ($3::bigint[] IS NULL OR pr.id = ANY($3)) "
            + "AND ($4::text IS NULL OR starts_with(lower(pr.name_family), lower($4)) "
            + "OR starts_with(lower(pr.name_given), lower($4))) "
            + "AND ($5::text IS NULL OR pr.identifier = $5)";

    public Uni<Long> countPractitioners(Subject subject, Long[] onlyIds, String name, String identifier) {
        return db.count("SELECT count(*) FROM practitioner pr " + PRACTITIONERS, subject.practitionerId(),
                subject.patientId(), onlyIds, name, identifier);
    }

    public Uni<List<PractitionerRecord>> listPractitioners(Subject subject, Long[] onlyIds, String name,
            String identifier, RecordPage page) {
        return db.list("SELECT pr.id, pr.identifier, pr.name_family, pr.name_given, pr.last_updated FROM "
                + "practitioner pr " + PRACTITIONERS + " ORDER BY pr.name_family, pr.name_given, pr.id OFFSET "
                + page.offset() + " LIMIT " + page.count(), r -> new PractitionerRecord(r.getLong("id"),
                        r.getString("identifier"), r.getString("name_family"), r.getString("name_given"),
                        r.getOffsetDateTime("last_updated")),
                subject.practitionerId(), subject.patientId(), onlyIds, name, identifier);
    }

    /** Every code, by id. */
    public Uni<List<CodeRecord>> listCodes() {
        return db.list("SELECT * FROM codeable_concept ORDER BY id", r -> new CodeRecord(r.getLong("id"),
                r.getString("coding_system"), r.getString("coding_code"), r.getString("text")));
    }
}
