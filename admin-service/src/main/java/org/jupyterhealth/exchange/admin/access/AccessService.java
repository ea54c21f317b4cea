package org.jupyterhealth.exchange.admin.access;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.web.AdminException.NotFoundException;
import org.jupyterhealth.exchange.admin.web.Errors;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Who may read and write which health data (docs/architecture.md#access-decisions), answered in bulk for
 * fhir-service and ingest-service. Only direct memberships count; a superuser is treated like anyone else here
 * (health data only where it is a member). Consent is part of every answer.
 */
@ApplicationScoped
public class AccessService {
    private final Db db;

    public AccessService(Db db) {
        this.db = db;
    }

    /** The user on whose behalf a service asks: its practitioner and patient records (either may be null). */
    public record Subject(long userId, Long practitionerId, Long patientId) {
    }

    /** Narrowing filters of a query; null means "not filtered". */
    public record Scope(Long organizationId, Long studyId, Long patientId) {
    }

    public record Code(String system, String code) implements Comparable<Code> {
        @Override
        public int compareTo(Code o) {
            int bySystem = system.compareTo(o.system);
            return bySystem != 0 ? bySystem : code.compareTo(o.code);
        }
    }

    public record Grant(List<Long> patientIds, List<Code> codes) {
    }

    public Uni<Subject> subject(Long userId) {
        if (userId == null) {
            return Uni.createFrom().failure(Errors.invalid("userId", "userId is required."));
        }
        return db.one("SELECT (SELECT id FROM practitioner WHERE jhe_user_id = $1) AS practitioner_id, "
                + "(SELECT id FROM patient WHERE jhe_user_id = $1) AS patient_id",
                row -> new Subject(userId, row.getLong(0), row.getLong(1)), userId);
    }

    /**
     * 404 when a filter names something that does not exist, 403 when the user may not see it: a practitioner
     * sees organizations it belongs to, studies of those, patients sharing one; a patient only itself and its
     * organizations and studies.
     */
    public Uni<Void> checkScope(Subject subject, Scope scope) {
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
                row -> row, subject.practitionerId(), scope.organizationId(), scope.studyId(), scope.patientId(),
                subject.patientId())
                .invoke(row -> {
                    if (!row.getBoolean("org_exists")) {
                        throw new NotFoundException("Organization/" + scope.organizationId() + " does not exist.");
                    }
                    if (!row.getBoolean("study_exists")) {
                        throw new NotFoundException("Group/" + scope.studyId() + " does not exist.");
                    }
                    if (!row.getBoolean("patient_exists")) {
                        throw new NotFoundException("Patient/" + scope.patientId() + " does not exist.");
                    }
                    if (!row.getBoolean("org_visible")) {
                        throw Errors.forbidden("Current user is not authorized to access Organization/"
                                + scope.organizationId() + ".");
                    }
                    if (!row.getBoolean("study_visible")) {
                        throw Errors.forbidden("Current user is not authorized to access Group/" + scope.studyId()
                                + ".");
                    }
                    if (!row.getBoolean("patient_visible")) {
                        throw Errors.forbidden("Current user is not authorized to access Patient/"
                                + scope.patientId() + ".");
                    }
                }).replaceWithVoid();
    }

    /** Patient filters shared by the queries below ($2 organization, $3 study, $4 patient; pa = membership). */
    private static final String PATIENT_FILTERS = "($2::bigint IS NULL OR EXISTS (SELECT 1 FROM patient_organization "
            + "f WHERE f.patient_id = %1$s AND f.organization_id = $2)) "
            + "AND ($3::bigint IS NULL OR EXISTS (SELECT 1 FROM study_patient g WHERE g.patient_id = %1$s "
            + "AND g.study_id = $3)) AND ($4::bigint IS NULL OR %1$s = $4)";

    /** The ids of the patients the user may see (no consent needed to see a patient record). */
    public Uni<List<Long>> visiblePatients(Subject subject, Scope scope) {
        if (subject.practitionerId() == null) {
            if (subject.patientId() == null) {
                return Uni.createFrom().item(List.of());
            }
            return db.list("SELECT p.id FROM patient p WHERE p.id = $1 AND "
                    + PATIENT_FILTERS.formatted("p.id"), row -> row.getLong(0), subject.patientId(),
                    scope.organizationId(), scope.studyId(), scope.patientId());
        }
        return db.list("SELECT DISTINCT pa.patient_id FROM patient_organization pa WHERE pa.organization_id IN "
                + "(SELECT organization_id FROM practitioner_organization WHERE practitioner_id = $1) AND "
                + PATIENT_FILTERS.formatted("pa.patient_id") + " ORDER BY 1", row -> row.getLong(0),
                subject.practitionerId(), scope.organizationId(), scope.studyId(), scope.patientId());
    }

    /**
     * The (patient, code) pairs the user may read, grouped by identical code sets. A practitioner: patients it
     * shares an organization with, each code the patient consented to in a study of an organization they share
     * (with a study filter: in that study, and requested by it). A patient: itself, every code (with a study
     * filter: the codes that study requests).
     */
    public Uni<List<Grant>> readableObservations(Subject subject, Scope scope) {
        Uni<List<Row>> pairs;
        if (subject.practitionerId() != null) {
            pairs = db.list("SELECT DISTINCT sp.patient_id, c.coding_system, c.coding_code FROM study_patient sp "
                    + "JOIN study s ON s.id = sp.study_id "
                    + "JOIN study_patient_scope_consent k ON k.study_patient_id = sp.id AND k.consented "
                    + "JOIN codeable_concept c ON c.id = k.scope_code_id "
                    + "WHERE s.organization_id IN (SELECT organization_id FROM practitioner_organization "
                    + "WHERE practitioner_id = $1) "
                    + "AND EXISTS (SELECT 1 FROM patient_organization pa WHERE pa.patient_id = sp.patient_id "
                    + "AND pa.organization_id = s.organization_id) "
                    + "AND ($3::bigint IS NULL OR (sp.study_id = $3 AND EXISTS (SELECT 1 FROM study_scope_request r "
                    + "WHERE r.study_id = $3 AND r.scope_code_id = k.scope_code_id))) AND "
                    + PATIENT_FILTERS.formatted("sp.patient_id"), row -> row, subject.practitionerId(),
                    scope.organizationId(), scope.studyId(), scope.patientId());
        } else if (subject.patientId() != null) {
            pairs = db.list("SELECT p.id AS patient_id, c.coding_system, c.coding_code FROM patient p "
                    + "CROSS JOIN codeable_concept c WHERE p.id = $1 AND ($3::bigint IS NULL OR EXISTS (SELECT 1 "
                    + "FROM study_scope_request r WHERE r.study_id = $3 AND r.scope_code_id = c.id)) AND "
                    + PATIENT_FILTERS.formatted("p.id"), row -> row, subject.patientId(), scope.organizationId(),
                    scope.studyId(), scope.patientId());
        } else {
            return Uni.createFrom().item(List.of());
        }
        return pairs.map(rows -> {
            Map<Long, TreeSet<Code>> byPatient = new HashMap<>();
            for (Row row : rows) {
                byPatient.computeIfAbsent(row.getLong(0), k -> new TreeSet<>())
                        .add(new Code(row.getString(1), row.getString(2)));
            }
            Map<Set<Code>, List<Long>> byCodes = new LinkedHashMap<>();
            byPatient.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> byCodes.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(e.getKey()));
            List<Grant> grants = new ArrayList<>();
            byCodes.forEach((codes, patients) -> grants.add(new Grant(patients, new ArrayList<>(codes))));
            return grants;
        });
    }

    // ------------------------------------------------------------------------------------------------ uploads

    public record UploadEntry(Long patientId, String system, String code, Long dataSourceId) {
    }

    public record UploadDecision(int status, String detail, Long codeId) {
    }

    /**
     * Whether the user may upload each entry (docs/compatibility.md#upload-checks, steps 3–6 and 9–10): the patient
     * exists; the uploader is the patient itself or a manager/member practitioner sharing an organization with it; the
     * data source is a known personal device; the code is known; the patient consented to it in at least one study.
     */
    public Uni<List<UploadDecision>> decideUploads(Subject subject, List<UploadEntry> entries) {
        List<Long> patientIds = entries.stream().map(UploadEntry::patientId).filter(java.util.Objects::nonNull)
                .distinct().toList();
        List<Long> sourceIds = entries.stream().map(UploadEntry::dataSourceId).filter(java.util.Objects::nonNull)
                .distinct().toList();
        Uni<Map<Long, Boolean>> patients = db.list("SELECT p.id, EXISTS (SELECT 1 FROM patient_organization pa "
                + "JOIN practitioner_organization m ON m.organization_id = pa.organization_id "
                + "WHERE pa.patient_id = p.id AND m.practitioner_id = $2 AND m.role IN ('manager', 'member')) "
                + "FROM patient p WHERE p.id = ANY($1)", row -> Map.entry(row.getLong(0), row.getBoolean(1)),
                Db.ids(patientIds), subject.practitionerId()).map(AccessService::toMap);
        Uni<Map<Long, String>> sources = db.list("SELECT id, type FROM data_source WHERE id = ANY($1)",
                row -> Map.entry(row.getLong(0), row.getString(1)), (Object) Db.ids(sourceIds))
                .map(AccessService::toMap);
        Uni<Map<Code, Long>> codes = db.list("SELECT id, coding_system, coding_code FROM codeable_concept",
                row -> Map.entry(new Code(row.getString(1), row.getString(2)), row.getLong(0)))
                .map(AccessService::toMap);
        Uni<Set<String>> consents = db.list("SELECT DISTINCT sp.patient_id, k.scope_code_id FROM study_patient sp "
                + "JOIN study_patient_scope_consent k ON k.study_patient_id = sp.id AND k.consented "
                + "WHERE sp.patient_id = ANY($1)", row -> row.getLong(0) + ":" + row.getLong(1),
                (Object) Db.ids(patientIds)).map(java.util.HashSet::new);
        return Uni.combine().all().unis(patients, sources, codes, consents).asTuple().map(t -> {
            List<UploadDecision> out = new ArrayList<>(entries.size());
            for (UploadEntry entry : entries) {
                out.add(decide(subject, entry, t.getItem1(), t.getItem2(), t.getItem3(), t.getItem4()));
            }
            return out;
        });
    }

    private static UploadDecision decide(Subject subject, UploadEntry entry, Map<Long, Boolean> patients,
            Map<Long, String> sources, Map<Code, Long> codes, Set<String> consents) {
        if (entry.patientId() == null || !patients.containsKey(entry.patientId())) {
            return new UploadDecision(400, "Patient id=" + entry.patientId() + " can not be found.", null);
        }
        boolean self = subject.patientId() != null && subject.patientId().equals(entry.patientId());
        if (!self) {
            if (subject.practitionerId() == null) {
                return new UploadDecision(403, subject.patientId() != null
                        ? "The Subject Patient does not match the current user."
                        : "Current user doesn't have access to the Patient.", null);
            }
            if (!patients.get(entry.patientId())) {
                return new UploadDecision(403, "Current user doesn't have access to the Patient.", null);
            }
        }
        if (entry.dataSourceId() == null) {
            return new UploadDecision(400, "Device is required and must be a reference to a Device ID and start "
                    + "with 'Device/'.", null);
        }
        if (!"personal_device".equals(sources.get(entry.dataSourceId()))) {
            return new UploadDecision(400, "Device Data Source id=" + entry.dataSourceId() + " can not be found.",
                    null);
        }
        Long codeId = entry.system() == null || entry.code() == null ? null
                : codes.get(new Code(entry.system(), entry.code()));
        if (codeId == null) {
            return new UploadDecision(400, "Code not found: system=" + shown(entry.system()) + " code="
                    + shown(entry.code()) + ".", null);
        }
        if (!consents.contains(entry.patientId() + ":" + codeId)) {
            return new UploadDecision(403, "Observation data with coding_system=" + entry.system() + " coding_code="
                    + entry.code() + " has not been consented for any studies by this Patient.", codeId);
        }
        return new UploadDecision(201, null, codeId);
    }

    /** An uploader's value as a decision repeats it: cut short, since it travels back in the upload's outcome. */
    private static String shown(String value) {
        return value == null || value.length() <= 100 ? value : value.substring(0, 100) + "…";
    }

    private static <K, V> Map<K, V> toMap(List<Map.Entry<K, V>> entries) {
        Map<K, V> map = new HashMap<>();
        entries.forEach(e -> map.put(e.getKey(), e.getValue()));
        return map;
    }
}
