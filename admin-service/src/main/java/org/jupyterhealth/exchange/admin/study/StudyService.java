package org.jupyterhealth.exchange.admin.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.datasource.CodeResponse;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.event.Events;
import org.jupyterhealth.exchange.admin.patient.PatientRepository;
import org.jupyterhealth.exchange.admin.patient.PatientResponse;
import org.jupyterhealth.exchange.admin.patient.PatientService;
import org.jupyterhealth.exchange.admin.security.Caller;
import org.jupyterhealth.exchange.admin.security.Permissions;
import org.jupyterhealth.exchange.admin.web.AdminException.PermissionDeniedException;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;

import io.smallrye.mutiny.Uni;

/**
 * Studies and their sub-resources (docs/compatibility.md#studies). Every write checks the manager or member role in the
 * study's organization (docs/compatibility.md#missing-permission-checks); duplicates and unknown ids are 4xx, never 500
 * (docs/compatibility.md#server-errors).
 */
@ApplicationScoped
public class StudyService {
    public static final String NOT_AUTHORIZED = "Current User does not have authorization to access this Study.";
    private static final String FROM = " FROM study s JOIN organization o ON o.id = s.organization_id ";
    /** Studies one may see: $1 superuser, $2 practitioner (studies of its organizations), $3 patient (enrolled). */
    private static final String VISIBLE = "($1::boolean OR s.organization_id IN (SELECT organization_id FROM "
            + "practitioner_organization WHERE practitioner_id = $2) OR s.id IN (SELECT study_id FROM study_patient "
            + "WHERE patient_id = $3))";

    private final Db db;
    private final Permissions permissions;
    private final PatientRepository patients;
    private final PatientService patientService;
    private final Events events;

    public StudyService(Db db, Permissions permissions, PatientRepository patients, PatientService patientService,
            Events events) {
        this.db = db;
        this.permissions = permissions;
        this.patients = patients;
        this.patientService = patientService;
        this.events = events;
    }

    public record StudyChange(String name, String description, Long organizationId, String iconUrl,
            boolean iconUrlGiven) {
    }

    // ------------------------------------------------------------------------------------------------ studies

    public Uni<Page<StudyResponse>> listStudies(Caller caller, Long organizationId, PageRequest page) {
        Uni<Void> sticky = caller.practitionerId() == null ? Uni.createFrom().voidItem()
                : patientService.rememberSelection(caller.practitionerId(), organizationId, null, false);
        String where = "WHERE " + VISIBLE + " AND ($4::bigint IS NULL OR s.organization_id = $4)";
        return sticky.chain(() -> db.count("SELECT count(*)" + FROM + where, caller.superuser(),
                caller.practitionerId(), caller.patientId(), organizationId)).flatMap(count -> {
                    PageRequest resolved = page.resolve(count);
                    return db.list("SELECT " + StudyResponse.COLUMNS + FROM + where
                            + " ORDER BY s.name, s.id OFFSET $5 LIMIT $6", StudyResponse::from, caller.superuser(),
                            caller.practitionerId(), caller.patientId(), organizationId, resolved.offset(),
                            resolved.limit()).map(rows -> resolved.page(count, rows));
                });
    }

    private Uni<StudyResponse> find(long id) {
        return db.one("SELECT " + StudyResponse.COLUMNS + FROM + "WHERE s.id = $1", StudyResponse::from, id)
                .invoke(study -> {
                    if (study == null) {
                        throw Errors.notFound("Study");
                    }
                });
    }

    /** A study the caller may see: superusers any, practitioners of its organization, patients enrolled in it. */
    public Uni<StudyResponse> study(Caller caller, long id) {
        return find(id).call(study -> db.one("SELECT " + VISIBLE + " FROM study s WHERE s.id = $4",
                row -> row.getBoolean(0), caller.superuser(), caller.practitionerId(), caller.patientId(), id)
                .invoke(visible -> {
                    if (!visible) {
                        throw new PermissionDeniedException(NOT_AUTHORIZED);
                    }
                }));
    }

    /** A study the caller may change: manager or member of its organization, or superuser. */
    private Uni<StudyResponse> editable(Caller caller, long id) {
        return find(id).call(study -> permissions.require(caller, study.organizationId(), Permissions.EDITORS));
    }

    public Uni<StudyResponse> createStudy(Caller caller, StudyChange change) {
        validate(change, true);
        return permissions.require(caller, change.organizationId(), Permissions.EDITORS)
                .chain(() -> db.one("SELECT EXISTS (SELECT 1 FROM organization WHERE id = $1)",
                        row -> row.getBoolean(0), change.organizationId()))
                .invoke(exists -> {
                    if (!exists) {
                        throw Errors.invalid("organization", "Organization " + change.organizationId()
                                + " does not exist.");
                    }
                })
                .chain(() -> db.inTransaction(tx -> Db.one(tx, "INSERT INTO study (name, description, "
                        + "organization_id, icon_url) VALUES ($1, $2, $3, $4) RETURNING id", row -> row.getLong(0),
                        change.name().trim(), change.description(), change.organizationId(), change.iconUrl())))
                .flatMap(this::find);
    }

    public Uni<StudyResponse> updateStudy(Caller caller, long id, StudyChange change, boolean partial) {
        validate(change, !partial);
        return editable(caller, id).call(current -> change.organizationId() == null
                || change.organizationId() == current.organizationId() ? Uni.createFrom().voidItem()
                        : permissions.require(caller, change.organizationId(), Permissions.EDITORS))
                .chain(() -> db.inTransaction(tx -> Db.update(tx, "UPDATE study SET name = COALESCE($2, name), "
                        + "description = COALESCE($3, description), organization_id = COALESCE($4, organization_id), "
                        + "icon_url = CASE WHEN $6 THEN $5 ELSE icon_url END, last_updated = now() WHERE id = $1",
                        id, change.name(), change.description(), change.organizationId(), change.iconUrl(),
                        change.iconUrlGiven() || !partial)))
                .chain(() -> find(id));
    }

    public Uni<Void> deleteStudy(Caller caller, long id) {
        return editable(caller, id).chain(() -> db.inTransaction(tx -> events.recordBulk(tx,
                "SELECT sp.patient_id, sp.study_id, NULL::bigint, NULL::bigint, 'ENROLMENT_CHANGED' "
                        + "FROM study_patient sp WHERE sp.study_id = $1", id)
                .chain(() -> Db.update(tx, "DELETE FROM study WHERE id = $1", id)))).replaceWithVoid();
    }

    private static void validate(StudyChange change, boolean required) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        if (required || change.name() != null) {
            if (change.name() == null || change.name().isBlank()) {
                errors.put("name", List.of("This field is required."));
            }
        }
        if (required || change.description() != null) {
            if (change.description() == null) {
                errors.put("description", List.of("This field is required."));
            }
        }
        if (required && change.organizationId() == null) {
            errors.put("organization", List.of("This field is required."));
        }
        if (!errors.isEmpty()) {
            var first = errors.entrySet().iterator().next();
            throw new org.jupyterhealth.exchange.admin.web.AdminException.ValidationException(
                    first.getKey() + ": " + first.getValue().get(0), errors);
        }
    }

    // ------------------------------------------------------------------------------------------------ patients

    /** The enrolled patients, for practitioners of the study's organization (others get an empty page). */
    public Uni<Page<PatientResponse>> enrolledPatients(Caller caller, long id, PageRequest page) {
        return find(id).flatMap(study -> caller.practitionerId() == null ? Uni.createFrom().item(false)
                : db.one("SELECT EXISTS (SELECT 1 FROM practitioner_organization WHERE practitioner_id = $1 "
                        + "AND organization_id = $2)", row -> row.getBoolean(0), caller.practitionerId(),
                        study.organizationId()))
                .flatMap(member -> {
                    if (!member) {
                        return Uni.createFrom().item(page.page(0, List.<PatientResponse>of()));
                    }
                    return db.count("SELECT count(*) FROM study_patient WHERE study_id = $1", id).flatMap(count -> {
                        PageRequest resolved = page.resolve(count);
                        return db.list("SELECT patient_id FROM study_patient WHERE study_id = $1 ORDER BY patient_id "
                                + "OFFSET $2 LIMIT $3", row -> row.getLong(0), id, resolved.offset(), resolved.limit())
                                .flatMap(patients::findByIds).map(rows -> resolved.page(count, rows));
                    });
                });
    }

    public record Enrolment(long id, StudyResponse study, PatientResponse patient) {
    }

    /** Enrols patients of the study's organization (managers and members). */
    public Uni<List<Enrolment>> enrolPatients(Caller caller, long id, List<Long> patientIds) {
        if (patientIds.isEmpty()) {
            return Uni.createFrom().failure(Errors.invalid("patientIds", "This field is required."));
        }
        return editable(caller, id).flatMap(study -> db.list("SELECT p.id, EXISTS (SELECT 1 FROM patient_organization "
                + "pa WHERE pa.patient_id = p.id AND pa.organization_id = $2) AS member, EXISTS (SELECT 1 FROM "
                + "study_patient sp WHERE sp.patient_id = p.id AND sp.study_id = $3) AS enrolled FROM patient p "
                + "WHERE p.id = ANY($1)", row -> row, Db.ids(patientIds), study.organizationId(), id)
                .flatMap(rows -> {
                    Map<Long, io.vertx.mutiny.sqlclient.Row> byId = new LinkedHashMap<>();
                    rows.forEach(r -> byId.put(r.getLong("id"), r));
                    for (Long patientId : patientIds) {
                        var row = byId.get(patientId);
                        if (row == null) {
                            return Uni.createFrom().failure(Errors.invalid("patientIds",
                                    "Patient " + patientId + " does not exist."));
                        }
                        if (!row.getBoolean("member")) {
                            return Uni.createFrom().failure(Errors.invalid("patientIds", "Patient " + patientId
                                    + " is not a member of the study's organization."));
                        }
                        if (row.getBoolean("enrolled")) {
                            return Uni.createFrom().failure(Errors.conflict("Patient " + patientId
                                    + " is already enrolled in study " + id + "."));
                        }
                    }
                    if (patientIds.stream().distinct().count() < patientIds.size()) {
                        return Uni.createFrom().failure(Errors.invalid("patientIds", "A patient is listed twice."));
                    }
                    return db.inTransaction(tx -> Db.list(tx, "INSERT INTO study_patient (study_id, patient_id) "
                            + "SELECT $1, unnest($2::bigint[]) RETURNING id, patient_id",
                            r -> Map.entry(r.getLong(0), r.getLong(1)), id, Db.ids(patientIds))
                            .call(created -> events.recordBulk(tx, "SELECT p, $1::bigint, NULL::bigint, NULL::bigint, "
                                    + "'ENROLMENT_CHANGED' FROM unnest($2::bigint[]) AS p", id, Db.ids(patientIds))))
                            .flatMap(created -> patients.findByIds(patientIds).map(records -> {
                                Map<Long, PatientResponse> byPatient = new LinkedHashMap<>();
                                records.forEach(p -> byPatient.put(p.id(), p));
                                List<Enrolment> out = new ArrayList<>();
                                for (var e : created) {
                                    out.add(new Enrolment(e.getKey(), study, byPatient.get(e.getValue())));
                                }
                                return out;
                            }));
                }));
    }

    public Uni<Void> removePatients(Caller caller, long id, List<Long> patientIds) {
        if (patientIds.isEmpty()) {
            return Uni.createFrom().failure(Errors.invalid("patientIds", "This field is required."));
        }
        return editable(caller, id).chain(() -> db.inTransaction(tx -> Db.list(tx,
                "DELETE FROM study_patient WHERE study_id = $1 AND patient_id = ANY($2) RETURNING patient_id",
                row -> row.getLong(0), id, Db.ids(patientIds))
                .call(removed -> removed.isEmpty() ? Uni.createFrom().voidItem()
                        : events.recordBulk(tx, "SELECT p, $1::bigint, NULL::bigint, NULL::bigint, "
                                + "'ENROLMENT_CHANGED' FROM unnest($2::bigint[]) AS p", id, Db.ids(removed)))))
                .replaceWithVoid();
    }

    // ------------------------------------------------------------------------------------------------ scopes

    public record ScopeRequest(long id, Map<String, Object> study, CodeResponse scopeCode) {
    }

    private static Map<String, Object> studyFields(StudyResponse s) {
        Map<String, Object> study = new LinkedHashMap<>();
        study.put("id", s.id());
        study.put("name", s.name());
        study.put("description", s.description());
        study.put("organization", s.organizationId());
        study.put("iconUrl", s.iconUrl());
        return study;
    }

    public Uni<List<ScopeRequest>> scopeRequests(Caller caller, long id) {
        return study(caller, id).flatMap(study -> db.list("SELECT r.id, " + CodeResponse.COLUMNS
                + " FROM study_scope_request r JOIN codeable_concept c ON c.id = r.scope_code_id WHERE r.study_id = $1 "
                + "ORDER BY r.id", row -> new ScopeRequest(row.getLong("id"), studyFields(study),
                        CodeResponse.from(row)), id));
    }

    public Uni<ScopeRequest> requestScope(Caller caller, long id, Long codeId) {
        if (codeId == null) {
            return Uni.createFrom().failure(Errors.invalid("scopeCodeId", "scope_code_id is required."));
        }
        return editable(caller, id).flatMap(study -> db.one("SELECT " + CodeResponse.COLUMNS
                + " FROM codeable_concept c WHERE c.id = $1", CodeResponse::from, codeId)
                .flatMap(code -> {
                    if (code == null) {
                        return Uni.createFrom().failure(Errors.invalid("scopeCodeId",
                                "Code " + codeId + " does not exist."));
                    }
                    return db.inTransaction(tx -> Db.one(tx, "INSERT INTO study_scope_request (study_id, "
                            + "scope_code_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id",
                            row -> row.getLong(0), id, codeId))
                            .map(newId -> {
                                if (newId == null) {
                                    throw Errors.conflict("Study " + id + " already requests code " + codeId + ".");
                                }
                                return new ScopeRequest(newId, studyFields(study), code);
                            });
                }));
    }

    public Uni<Void> withdrawScope(Caller caller, long id, Long codeId) {
        if (codeId == null) {
            return Uni.createFrom().failure(Errors.invalid("scopeCodeId", "scope_code_id is required."));
        }
        return editable(caller, id).chain(() -> db.inTransaction(tx -> Db.update(tx,
                "DELETE FROM study_scope_request WHERE study_id = $1 AND scope_code_id = $2", id, codeId)))
                .replaceWithVoid();
    }

    // ------------------------------------------------------------------------------------------------ links

    public Uni<List<Map<String, Object>>> clients(Caller caller, long id) {
        return study(caller, id).flatMap(study -> db.list("SELECT l.id, c.id AS client_pk, c.client_id, c.name, "
                + "c.invitation_url FROM study_client l JOIN oauth_client c ON c.id = l.client_id "
                + "WHERE l.study_id = $1 ORDER BY l.id", row -> {
                    Map<String, Object> client = new LinkedHashMap<>();
                    client.put("id", row.getLong("client_pk"));
                    client.put("name", row.getString("name"));
                    client.put("clientId", row.getString("client_id"));
                    client.put("invitationUrl", row.getString("invitation_url"));
                    Map<String, Object> link = new LinkedHashMap<>();
                    link.put("id", row.getLong("id"));
                    link.put("study", studyFields(study));
                    link.put("client", client);
                    return link;
                }, id));
    }

    public Uni<List<Map<String, Object>>> dataSources(Caller caller, long id) {
        return study(caller, id).flatMap(study -> db.list("SELECT l.id, d.id AS ds_id, d.name, d.type, d.last_updated "
                + "FROM study_data_source l JOIN data_source d ON d.id = l.data_source_id WHERE l.study_id = $1 "
                + "ORDER BY l.id", row -> {
                    Map<String, Object> dataSource = new LinkedHashMap<>();
                    dataSource.put("id", row.getLong("ds_id"));
                    dataSource.put("name", row.getString("name"));
                    dataSource.put("type", row.getString("type"));
                    dataSource.put("lastUpdated", row.getOffsetDateTime("last_updated"));
                    Map<String, Object> link = new LinkedHashMap<>();
                    link.put("id", row.getLong("id"));
                    link.put("study", studyFields(study));
                    link.put("dataSource", dataSource);
                    return link;
                }, id));
    }

    /** Links a patient client (by its number) or a data source to the study. */
    public Uni<Map<String, Object>> link(Caller caller, long id, String kind, Long targetId) {
        Link link = Link.of(kind);
        if (targetId == null) {
            return Uni.createFrom().failure(Errors.invalid(link.field, link.field + " is required."));
        }
        return editable(caller, id).chain(() -> db.one(link.exists, row -> row.getBoolean(0), targetId))
                .invoke(exists -> {
                    if (!exists) {
                        throw Errors.invalid(link.field, link.noun + " " + targetId + " does not exist.");
                    }
                })
                .chain(() -> db.inTransaction(tx -> Db.one(tx, "INSERT INTO " + link.table + " (study_id, "
                        + link.column + ") VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id", row -> row.getLong(0),
                        id, targetId)))
                .map(newId -> {
                    if (newId == null) {
                        throw Errors.conflict(link.noun + " " + targetId + " is already linked to study " + id + ".");
                    }
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("id", newId);
                    out.put("studyId", id);
                    out.put(link.field, targetId);
                    return out;
                });
    }

    public Uni<Void> unlink(Caller caller, long id, String kind, Long targetId) {
        Link link = Link.of(kind);
        if (targetId == null) {
            return Uni.createFrom().failure(Errors.invalid(link.field, link.field + " is required."));
        }
        return editable(caller, id).chain(() -> db.inTransaction(tx -> Db.update(tx, "DELETE FROM " + link.table
                + " WHERE study_id = $1 AND " + link.column + " = $2", id, targetId))).replaceWithVoid();
    }

    private record Link(String table, String column, String field, String noun, String exists) {
        static Link of(String kind) {
            return "clients".equals(kind)
                    ? new Link("study_client", "client_id", "clientId", "Client",
                            "SELECT EXISTS (SELECT 1 FROM oauth_client WHERE id = $1 AND kind = 'patient')")
                    : new Link("study_data_source", "data_source_id", "dataSourceId", "Data source",
                            "SELECT EXISTS (SELECT 1 FROM data_source WHERE id = $1)");
        }
    }
}
