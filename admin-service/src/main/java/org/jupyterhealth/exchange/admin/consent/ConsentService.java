package org.jupyterhealth.exchange.admin.consent;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.datasource.CodeResponse;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.event.Events;
import org.jupyterhealth.exchange.admin.patient.PatientRepository;
import org.jupyterhealth.exchange.admin.security.Caller;
import org.jupyterhealth.exchange.admin.security.Permissions;
import org.jupyterhealth.exchange.admin.web.AdminException.NotFoundException;
import org.jupyterhealth.exchange.admin.web.AdminException.PermissionDeniedException;
import org.jupyterhealth.exchange.admin.web.Body;
import org.jupyterhealth.exchange.admin.web.Errors;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * A patient's consents per study and data type (docs/compatibility.md#consents). Reading: the patient itself or a
 * practitioner sharing an organization with it. Changing: the patient itself, a superuser, or a manager/member of the
 * study's organization who shares it with the patient. Every change is published ({@code CONSENT_CHANGED}), so that
 * readers' cached access decisions are dropped at once.
 */
@ApplicationScoped
public class ConsentService {
    static final String PATIENT_MISMATCH = "The Patient does not match the current patient user.";
    static final String PRACTITIONER_NOT_AUTHORIZED = "This Practitioner not authorized to access this Patient";
    static final String ROLE_NOT_VALID = "Practitioner role is not valid.";

    private final Db db;
    private final PatientRepository patients;
    private final Permissions permissions;
    private final Events events;

    public ConsentService(Db db, PatientRepository patients, Permissions permissions, Events events) {
        this.db = db;
        this.patients = patients;
        this.permissions = permissions;
        this.events = events;
    }

    public record ScopeConsent(String codingSystem, String codingCode, Boolean consented) {
    }

    public record StudyScopeConsents(long studyId, List<ScopeConsent> scopeConsents) {
    }

    /** Reads {@code {"studyScopeConsents": [{studyId, scopeConsents: [{codingSystem, codingCode, consented}]}]}}. */
    public static List<StudyScopeConsents> request(Body body, boolean needsConsented) {
        if (body.node("studyScopeConsents") == null) {
            throw Errors.invalid("studyScopeConsents", "This field is required.");
        }
        List<StudyScopeConsents> out = new ArrayList<>();
        for (Body study : body.objects("studyScopeConsents")) {
            long studyId = study.requiredId("studyId");
            List<ScopeConsent> scopes = new ArrayList<>();
            for (Body scope : study.objects("scopeConsents")) {
                String system = scope.requiredString("codingSystem");
                String code = scope.requiredString("codingCode");
                Boolean consented = scope.bool("consented");
                if (needsConsented && consented == null) {
                    throw Errors.invalid("consented", "This field is required.");
                }
                scopes.add(new ScopeConsent(system, code, consented));
            }
            out.add(new StudyScopeConsents(studyId, scopes));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ read

    private Uni<Void> requireReader(Caller caller, long patientId) {
        return patients.exists(db.client(), patientId).flatMap(exists -> {
            if (caller.isPatient()) {
                if (caller.patientId() != patientId) {
                    return Uni.createFrom().failure(new PermissionDeniedException(PATIENT_MISMATCH));
                }
                return Uni.createFrom().voidItem();
            }
            if (!exists) {
                return Uni.createFrom().failure(Errors.notFound("Patient"));
            }
            return permissions.sharesOrganizationWithPatient(caller, patientId).invoke(shares -> {
                if (!shares) {
                    throw new PermissionDeniedException(PRACTITIONER_NOT_AUTHORIZED);
                }
            }).replaceWithVoid();
        });
    }

    public Uni<Map<String, Object>> consents(Caller caller, long patientId) {
        return requireReader(caller, patientId).chain(() -> patients.findById(patientId)).flatMap(patient -> {
            Uni<List<Row>> studies = db.list("SELECT sp.id AS sp_id, s.id, s.name, s.description, s.icon_url, "
                    + "o.id AS org_id, o.name AS org_name, o.type AS org_type FROM study_patient sp "
                    + "JOIN study s ON s.id = sp.study_id JOIN organization o ON o.id = s.organization_id "
                    + "WHERE sp.patient_id = $1 ORDER BY s.id", row -> row, patientId);
            Uni<List<Row>> requested = db.list("SELECT sp.study_id, " + CodeResponse.COLUMNS
                    + " FROM study_patient sp JOIN study_scope_request r ON r.study_id = sp.study_id "
                    + "JOIN codeable_concept c ON c.id = r.scope_code_id WHERE sp.patient_id = $1 "
                    + "AND NOT EXISTS (SELECT 1 FROM study_patient_scope_consent k WHERE k.study_patient_id = sp.id "
                    + "AND k.scope_code_id = r.scope_code_id) ORDER BY r.id", row -> row, patientId);
            Uni<List<Row>> given = db.list("SELECT sp.study_id, k.id AS consent_id, k.consented, k.consented_time, "
                    + CodeResponse.COLUMNS + " FROM study_patient sp JOIN study_patient_scope_consent k "
                    + "ON k.study_patient_id = sp.id JOIN codeable_concept c ON c.id = k.scope_code_id "
                    + "WHERE sp.patient_id = $1 ORDER BY k.id", row -> row, patientId);
            Uni<List<Row>> sources = db.list("SELECT l.study_id, d.id, d.name, d.type, "
                    + "(SELECT coalesce(json_agg(json_build_object('id', c.id, 'codingSystem', c.coding_system, "
                    + "'codingCode', c.coding_code, 'text', c.text) ORDER BY c.text), '[]'::json) "
                    + "FROM data_source_supported_scope ss JOIN codeable_concept c ON c.id = ss.scope_code_id "
                    + "WHERE ss.data_source_id = d.id) AS scopes FROM study_data_source l "
                    + "JOIN data_source d ON d.id = l.data_source_id "
                    + "WHERE l.study_id IN (SELECT study_id FROM study_patient WHERE patient_id = $1) ORDER BY l.id",
                    row -> row, patientId);
            return Uni.combine().all().unis(studies, requested, given, sources).asTuple().map(t -> {
                Map<Long, List<Object>> pending = new LinkedHashMap<>();
                for (Row row : t.getItem2()) {
                    pending.computeIfAbsent(row.getLong("study_id"), k -> new ArrayList<>())
                            .add(scope(CodeResponse.from(row), null, null));
                }
                Map<Long, List<Object>> decided = new LinkedHashMap<>();
                Map<Long, CodeResponse> consolidated = new LinkedHashMap<>();
                for (Row row : t.getItem3()) {
                    CodeResponse code = CodeResponse.from(row);
                    boolean consented = row.getBoolean("consented");
                    decided.computeIfAbsent(row.getLong("study_id"), k -> new ArrayList<>())
                            .add(scope(code, consented, row.getOffsetDateTime("consented_time")));
                    if (consented) {
                        consolidated.putIfAbsent(code.id(), code);
                    }
                }
                Map<Long, List<Object>> dataSources = new LinkedHashMap<>();
                for (Row row : t.getItem4()) {
                    Map<String, Object> source = new LinkedHashMap<>();
                    source.put("id", row.getLong("id"));
                    source.put("name", row.getString("name"));
                    source.put("type", row.getString("type"));
                    Object scopes = row.getValue("scopes");
                    source.put("supportedScopes", scopes instanceof io.vertx.core.json.JsonArray a ? a.getList()
                            : List.of());
                    dataSources.computeIfAbsent(row.getLong("study_id"), k -> new ArrayList<>()).add(source);
                }
                List<Object> studiesPending = new ArrayList<>();
                List<Object> studiesDecided = new ArrayList<>();
                for (Row row : t.getItem1()) {
                    long studyId = row.getLong("id");
                    if (pending.containsKey(studyId)) {
                        Map<String, Object> study = study(row, dataSources.getOrDefault(studyId, List.of()));
                        study.put("pendingScopeConsents", pending.get(studyId));
                        studiesPending.add(study);
                    }
                    if (decided.containsKey(studyId)) {
                        Map<String, Object> study = study(row, dataSources.getOrDefault(studyId, List.of()));
                        study.put("scopeConsents", decided.get(studyId));
                        studiesDecided.add(study);
                    }
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("patient", patient);
                out.put("consolidatedConsentedScopes", new ArrayList<>(consolidated.values()));
                out.put("studiesPendingConsent", studiesPending);
                out.put("studies", studiesDecided);
                return out;
            });
        });
    }

    private static Map<String, Object> study(Row row, List<Object> dataSources) {
        Map<String, Object> study = new LinkedHashMap<>();
        study.put("id", row.getLong("id"));
        study.put("name", row.getString("name"));
        study.put("description", row.getString("description"));
        study.put("organization", Map.of("id", row.getLong("org_id"), "name", row.getString("org_name"),
                "type", row.getString("org_type")));
        study.put("iconUrl", row.getString("icon_url"));
        study.put("dataSources", dataSources);
        return study;
    }

    private static Map<String, Object> scope(CodeResponse code, Boolean consented, OffsetDateTime time) {
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("code", code);
        scope.put("consented", consented);
        scope.put("consentedTime", time);
        return scope;
    }

    // ------------------------------------------------------------------------------------------------ write

    /** Checks the caller may change the patient's consents in these studies. */
    private Uni<Void> requireWriter(Caller caller, long patientId, Set<Long> studyIds) {
        return patients.exists(db.client(), patientId).flatMap(exists -> {
            if (caller.isPatient() && caller.patientId() == patientId) {
                return Uni.createFrom().voidItem();
            }
            if (caller.isPatient() && !caller.isPractitioner()) {
                return Uni.createFrom().failure(new PermissionDeniedException(PATIENT_MISMATCH));
            }
            if (!exists) {
                return Uni.createFrom().failure(Errors.notFound("Patient"));
            }
            if (caller.superuser()) {
                return Uni.createFrom().voidItem();
            }
            // for each study: the practitioner's role in the study's organization, and whether the patient is in it
            return db.list("SELECT s.id, (SELECT role FROM practitioner_organization m WHERE m.practitioner_id = $1 "
                    + "AND m.organization_id = s.organization_id) AS role, EXISTS (SELECT 1 FROM patient_organization pa "
                    + "WHERE pa.patient_id = $2 AND pa.organization_id = s.organization_id) AS shared "
                    + "FROM study s WHERE s.id = ANY($3)", row -> row, caller.practitionerId(), patientId,
                    Db.ids(studyIds)).invoke(rows -> {
                        for (Row row : rows) {
                            String role = row.getString("role");
                            if (role == null || !row.getBoolean("shared")) {
                                throw new PermissionDeniedException(PRACTITIONER_NOT_AUTHORIZED);
                            }
                            if (!Permissions.MANAGER.equals(role) && !Permissions.MEMBER.equals(role)) {
                                throw new PermissionDeniedException(ROLE_NOT_VALID);
                            }
                        }
                    }).replaceWithVoid();
        });
    }

    /** The enrolment and code ids of each requested consent; 400 for what does not exist. */
    private record Target(long studyId, long studyPatientId, CodeResponse code, Boolean consented) {
    }

    private Uni<List<Target>> resolve(SqlClient client, long patientId, List<StudyScopeConsents> request,
            boolean mustBeRequested) {
        Uni<List<Target>> chain = Uni.createFrom().item(new ArrayList<>());
        for (StudyScopeConsents study : request) {
            chain = chain.flatMap(acc -> Db.one(client, "SELECT sp.id FROM study_patient sp WHERE sp.study_id = $1 "
                    + "AND sp.patient_id = $2", row -> row.getLong(0), study.studyId(), patientId)
                    .flatMap(studyPatientId -> {
                        if (studyPatientId == null) {
                            return Uni.createFrom().failure(Errors.invalid("studyId", "Patient " + patientId
                                    + " is not enrolled in study " + study.studyId() + "."));
                        }
                        Uni<List<Target>> inner = Uni.createFrom().item(acc);
                        for (ScopeConsent scope : study.scopeConsents()) {
                            inner = inner.flatMap(list -> Db.one(client, "SELECT " + CodeResponse.COLUMNS
                                    + ", EXISTS (SELECT 1 FROM study_scope_request r WHERE r.study_id = $3 "
                                    + "AND r.scope_code_id = c.id) AS requested FROM codeable_concept c "
                                    + "WHERE c.coding_system = $1 AND c.coding_code = $2",
                                    row -> row, scope.codingSystem(), scope.codingCode(), study.studyId())
                                    .map(row -> {
                                        if (row == null) {
                                            throw Errors.invalid("codingCode", "Code " + scope.codingSystem() + "|"
                                                    + scope.codingCode() + " does not exist.");
                                        }
                                        if (mustBeRequested && !row.getBoolean("requested")) {
                                            throw Errors.invalid("codingCode", "Study " + study.studyId()
                                                    + " does not request code " + scope.codingSystem() + "|"
                                                    + scope.codingCode() + ".");
                                        }
                                        list.add(new Target(study.studyId(), studyPatientId, CodeResponse.from(row),
                                                scope.consented()));
                                        return list;
                                    }));
                        }
                        return inner;
                    }));
        }
        return chain;
    }

    private static Set<Long> studies(List<StudyScopeConsents> request) {
        Set<Long> ids = new LinkedHashSet<>();
        request.forEach(s -> ids.add(s.studyId()));
        return ids;
    }

    private Uni<Void> published(SqlClient tx, long patientId, List<Target> targets) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Long studyId : new LinkedHashSet<>(targets.stream().map(Target::studyId).toList())) {
            chain = chain.chain(() -> events.consentChanged(tx, patientId, studyId));
        }
        return chain;
    }

    /** POST: records new decisions (timezone-aware time of now); one already recorded is a 409. */
    public Uni<List<Map<String, Object>>> recordConsents(Caller caller, long patientId,
            List<StudyScopeConsents> request) {
        return requireWriter(caller, patientId, studies(request)).chain(() -> db.inTransaction(tx ->
                resolve(tx, patientId, request, true).flatMap(targets -> {
                    Uni<List<Map<String, Object>>> chain = Uni.createFrom().item(new ArrayList<>());
                    for (Target target : targets) {
                        chain = chain.flatMap(out -> Db.one(tx, "INSERT INTO study_patient_scope_consent "
                                + "(study_patient_id, scope_code_id, consented, consented_time) VALUES ($1, $2, $3, now()) "
                                + "ON CONFLICT DO NOTHING RETURNING id, consented_time", row -> row,
                                target.studyPatientId(), target.code().id(), target.consented())
                                .map(row -> {
                                    if (row == null) {
                                        throw Errors.conflict("A consent for " + target.code().codingCode()
                                                + " in study " + target.studyId()
                                                + " is already recorded; change it with PATCH.");
                                    }
                                    out.add(item(row.getLong("id"), target, patientId, target.consented(),
                                            row.getOffsetDateTime("consented_time")));
                                    return out;
                                }));
                    }
                    return chain.call(out -> published(tx, patientId, targets));
                })));
    }

    /** PATCH: changes recorded decisions; one never recorded is a 404. */
    public Uni<List<Map<String, Object>>> changeConsents(Caller caller, long patientId,
            List<StudyScopeConsents> request) {
        return requireWriter(caller, patientId, studies(request)).chain(() -> db.inTransaction(tx ->
                resolve(tx, patientId, request, false).flatMap(targets -> {
                    Uni<List<Map<String, Object>>> chain = Uni.createFrom().item(new ArrayList<>());
                    for (Target target : targets) {
                        chain = chain.flatMap(out -> Db.one(tx, "UPDATE study_patient_scope_consent SET consented = $3, "
                                + "consented_time = now() WHERE study_patient_id = $1 AND scope_code_id = $2 "
                                + "RETURNING id, consented_time", row -> row, target.studyPatientId(),
                                target.code().id(), target.consented())
                                .map(row -> {
                                    if (row == null) {
                                        throw new NotFoundException("No consent for " + target.code().codingCode()
                                                + " in study " + target.studyId() + " is recorded yet; use POST.");
                                    }
                                    out.add(item(row.getLong("id"), target, patientId, target.consented(),
                                            row.getOffsetDateTime("consented_time")));
                                    return out;
                                }));
                    }
                    return chain.call(out -> published(tx, patientId, targets));
                })));
    }

    /** DELETE: forgets decisions (the scope is pending again). */
    public Uni<Void> withdrawConsents(Caller caller, long patientId, List<StudyScopeConsents> request) {
        return requireWriter(caller, patientId, studies(request)).chain(() -> db.inTransaction(tx ->
                resolve(tx, patientId, request, false).flatMap(targets -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Target target : targets) {
                        chain = chain.chain(() -> Db.update(tx, "DELETE FROM study_patient_scope_consent "
                                + "WHERE study_patient_id = $1 AND scope_code_id = $2", target.studyPatientId(),
                                target.code().id()).replaceWithVoid());
                    }
                    return chain.chain(() -> published(tx, patientId, targets));
                })));
    }

    /** {@code ?reset=true}: deletes every consent of the patient (the patient itself or a superuser). */
    public Uni<Map<String, Object>> reset(Caller caller, long patientId) {
        boolean self = caller.isPatient() && caller.patientId() == patientId;
        if (!self && !caller.superuser()) {
            return Uni.createFrom().failure(Errors.forbidden());
        }
        return db.inTransaction(tx -> Db.list(tx, "DELETE FROM study_patient_scope_consent k USING study_patient sp "
                + "WHERE sp.id = k.study_patient_id AND sp.patient_id = $1 RETURNING sp.study_id", row -> row.getLong(0),
                patientId)
                .call(studyIds -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Long studyId : new LinkedHashSet<>(studyIds)) {
                        chain = chain.chain(() -> events.consentChanged(tx, patientId, studyId));
                    }
                    return chain;
                }))
                .map(deleted -> Map.of("resetCount", deleted.size()));
    }

    private static Map<String, Object> item(long id, Target target, long patientId, Boolean consented,
            OffsetDateTime time) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", id);
        item.put("studyPatient", Map.of("id", target.studyPatientId(), "study", target.studyId(),
                "patient", patientId));
        item.put("scopeCode", target.code());
        item.put("consented", consented);
        item.put("consentedTime", time);
        return item;
    }
}
