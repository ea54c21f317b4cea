package org.jupyterhealth.exchange.admin.consent;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.consent.ConsentResponses.DataSourceScopes;
import org.jupyterhealth.exchange.admin.datasource.CodeResponse;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.study.StudyResponse.OrganizationRef;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlClient;

/** The SQL of a patient's consents: its enrolments, the data types their studies request, its decisions. */
@ApplicationScoped
public class ConsentRepository {
    private final Db db;

    public ConsentRepository(Db db) {
        this.db = db;
    }

    /** A study the patient is enrolled in. */
    public record EnrolledStudy(long id, String name, String description, OrganizationRef organization,
            String iconUrl) {
    }

    /** Something of one study: a data type, a decision, a data source. */
    public record OfStudy<T>(long studyId, T value) {
    }

    /** A recorded decision on a data type in one study. */
    public record Decision(long id, CodeResponse code, boolean consented, OffsetDateTime consentedTime) {
    }

    /** The caller's role in a study's organization (null: none), and whether the patient is in it too. */
    public record WriterRight(long studyId, String role, boolean shared) {
    }

    /** A data type by its coding, and whether a study requests it. */
    public record RequestedCode(CodeResponse code, boolean requested) {
    }

    /** A decision just written: its id and time. */
    public record Written(long id, OffsetDateTime consentedTime) {
    }

    public Uni<List<EnrolledStudy>> listEnrolledStudies(long patientId) {
        return db.list("SELECT s.id, s.name, s.description, s.icon_url, o.id AS org_id, o.name AS org_name, "
                + "o.type AS org_type FROM study_patient sp JOIN study s ON s.id = sp.study_id "
                + "JOIN organization o ON o.id = s.organization_id WHERE sp.patient_id = $1 ORDER BY s.id",
                row -> new EnrolledStudy(row.getLong("id"), row.getString("name"), row.getString("description"),
                        new OrganizationRef(row.getLong("org_id"), row.getString("org_name"),
                                row.getString("org_type")),
                        row.getString("icon_url")), patientId);
    }

    /** The data types the patient's studies request that the patient has not decided on, by request. */
    public Uni<List<OfStudy<CodeResponse>>> listPending(long patientId) {
        return db.list("SELECT sp.study_id, " + CodeResponse.COLUMNS + " FROM study_patient sp "
                + "JOIN study_scope_request r ON r.study_id = sp.study_id "
                + "JOIN codeable_concept c ON c.id = r.scope_code_id WHERE sp.patient_id = $1 "
                + "AND NOT EXISTS (SELECT 1 FROM study_patient_scope_consent k WHERE k.study_patient_id = sp.id "
                + "AND k.scope_code_id = r.scope_code_id) ORDER BY r.id",
                row -> new OfStudy<>(row.getLong("study_id"), CodeResponse.from(row)), patientId);
    }

    /** The patient's decisions, in the order they were first recorded. */
    public Uni<List<OfStudy<Decision>>> listDecisions(long patientId) {
        return db.list("SELECT sp.study_id, k.id AS consent_id, k.consented, k.consented_time, "
                + CodeResponse.COLUMNS + " FROM study_patient sp JOIN study_patient_scope_consent k "
                + "ON k.study_patient_id = sp.id JOIN codeable_concept c ON c.id = k.scope_code_id "
                + "WHERE sp.patient_id = $1 ORDER BY k.id",
                row -> new OfStudy<>(row.getLong("study_id"), new Decision(row.getLong("consent_id"),
                        CodeResponse.from(row), row.getBoolean("consented"), row.getOffsetDateTime("consented_time"))),
                patientId);
    }

    /** The data sources linked to the patient's studies, each with the data types it supports (by text). */
    public Uni<List<OfStudy<DataSourceScopes>>> listDataSources(long patientId) {
        return db.list("SELECT l.study_id, d.id, d.name, d.type, "
                + "(SELECT coalesce(json_agg(json_build_object('id', c.id, 'codingSystem', c.coding_system, "
                + "'codingCode', c.coding_code, 'text', c.text) ORDER BY c.text), '[]'::json) "
                + "FROM data_source_supported_scope ss JOIN codeable_concept c ON c.id = ss.scope_code_id "
                + "WHERE ss.data_source_id = d.id) AS scopes FROM study_data_source l "
                + "JOIN data_source d ON d.id = l.data_source_id "
                + "WHERE l.study_id IN (SELECT study_id FROM study_patient WHERE patient_id = $1) ORDER BY l.id",
                row -> {
                    List<CodeResponse> scopes = new ArrayList<>();
                    if (row.getValue("scopes") instanceof JsonArray array) {
                        for (int i = 0; i < array.size(); i++) {
                            JsonObject c = array.getJsonObject(i);
                            scopes.add(new CodeResponse(c.getLong("id"), c.getString("codingSystem"),
                                    c.getString("codingCode"), c.getString("text")));
                        }
                    }
                    return new OfStudy<>(row.getLong("study_id"), new DataSourceScopes(row.getLong("id"),
                            row.getString("name"), row.getString("type"), scopes));
                }, patientId);
    }

    /** For each of these studies: the practitioner's role in its organization, and whether the patient is in it. */
    public Uni<List<WriterRight>> listWriterRights(Long practitionerId, long patientId, Collection<Long> studyIds) {
        return db.list("SELECT s.id, (SELECT role FROM practitioner_organization m WHERE m.practitioner_id = $1 "
                + "AND m.organization_id = s.organization_id) AS role, EXISTS (SELECT 1 FROM patient_organization pa "
                + "WHERE pa.patient_id = $2 AND pa.organization_id = s.organization_id) AS shared "
                + "FROM study s WHERE s.id = ANY($3)",
                row -> new WriterRight(row.getLong("id"), row.getString("role"), row.getBoolean("shared")),
                practitionerId, patientId, Db.ids(studyIds));
    }

    /** The patient's enrolment in the study, or null. */
    public Uni<Long> findEnrolmentId(SqlClient client, long studyId, long patientId) {
        return Db.one(client, "SELECT sp.id FROM study_patient sp WHERE sp.study_id = $1 AND sp.patient_id = $2",
                row -> row.getLong(0), studyId, patientId);
    }

    /** The data type of this coding, with whether the study requests it, or null. */
    public Uni<RequestedCode> findCode(SqlClient client, String system, String code, long studyId) {
        return Db.one(client, "SELECT " + CodeResponse.COLUMNS + ", EXISTS (SELECT 1 FROM study_scope_request r "
                + "WHERE r.study_id = $3 AND r.scope_code_id = c.id) AS requested FROM codeable_concept c "
                + "WHERE c.coding_system = $1 AND c.coding_code = $2",
                row -> new RequestedCode(CodeResponse.from(row), row.getBoolean("requested")), system, code, studyId);
    }

    /** Records a decision, now; null when one is already recorded. */
    public Uni<Written> insert(SqlClient tx, long studyPatientId, long codeId, Boolean consented) {
        return Db.one(tx, "INSERT INTO study_patient_scope_consent (study_patient_id, scope_code_id, consented, "
                + "consented_time) VALUES ($1, $2, $3, now()) ON CONFLICT DO NOTHING RETURNING id, consented_time",
                row -> new Written(row.getLong("id"), row.getOffsetDateTime("consented_time")), studyPatientId,
                codeId, consented);
    }

    /** Changes a recorded decision, now; null when none is recorded. */
    public Uni<Written> update(SqlClient tx, long studyPatientId, long codeId, Boolean consented) {
        return Db.one(tx, "UPDATE study_patient_scope_consent SET consented = $3, consented_time = now() "
                + "WHERE study_patient_id = $1 AND scope_code_id = $2 RETURNING id, consented_time",
                row -> new Written(row.getLong("id"), row.getOffsetDateTime("consented_time")), studyPatientId,
                codeId, consented);
    }

    public Uni<Integer> delete(SqlClient tx, long studyPatientId, long codeId) {
        return Db.update(tx, "DELETE FROM study_patient_scope_consent WHERE study_patient_id = $1 "
                + "AND scope_code_id = $2", studyPatientId, codeId);
    }

    /** Deletes every decision of the patient: the study of each one deleted. */
    public Uni<List<Long>> deleteAllOfPatient(SqlClient tx, long patientId) {
        return Db.list(tx, "DELETE FROM study_patient_scope_consent k USING study_patient sp "
                + "WHERE sp.id = k.study_patient_id AND sp.patient_id = $1 RETURNING sp.study_id",
                row -> row.getLong(0), patientId);
    }
}
