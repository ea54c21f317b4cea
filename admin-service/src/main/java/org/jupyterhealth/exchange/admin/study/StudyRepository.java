package org.jupyterhealth.exchange.admin.study;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.datasource.CodeResponse;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.event.Events;
import org.jupyterhealth.exchange.admin.study.StudyLinks.Client;
import org.jupyterhealth.exchange.admin.study.StudyLinks.DataSource;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/** The SQL of studies, their enrolments, their scope requests and their links to patient apps and data sources. */
@ApplicationScoped
public class StudyRepository {
    private static final String FROM = " FROM study s JOIN organization o ON o.id = s.organization_id ";
    /** Studies one may see: $1 superuser, $2 practitioner (studies of its organizations), $3 patient (enrolled). */
    private static final String VISIBLE = "($1::boolean OR s.organization_id IN (SELECT organization_id FROM "
            + "practitioner_organization WHERE practitioner_id = $2) OR s.id IN (SELECT study_id FROM study_patient "
            + "WHERE patient_id = $3))";
    private static final String VISIBLE_IN = "WHERE " + VISIBLE + " AND ($4::bigint IS NULL OR s.organization_id = $4)";

    private final Db db;
    private final Events events;

    public StudyRepository(Db db, Events events) {
        this.db = db;
        this.events = events;
    }

    /** What a study links to: a patient app ({@code oauth_client} of kind patient) or a data source. */
    public enum Link {
        CLIENT("study_client", "client_id",
                "SELECT EXISTS (SELECT 1 FROM oauth_client WHERE id = $1 AND kind = 'patient')"),
        DATA_SOURCE("study_data_source", "data_source_id", "SELECT EXISTS (SELECT 1 FROM data_source WHERE id = $1)");

        private final String table;
        private final String column;
        private final String exists;

        Link(String table, String column, String exists) {
            this.table = table;
            this.column = column;
            this.exists = exists;
        }
    }

    /** Where a patient stands towards a study: a member of its organization, already enrolled. */
    public record EnrolmentState(long patientId, boolean member, boolean enrolled) {
    }

    /** An enrolment just made. */
    public record NewEnrolment(long id, long patientId) {
    }

    /** A scope request of a study, with its code. */
    public record ScopeCode(long id, CodeResponse code) {
    }

    // ------------------------------------------------------------------------------------------------ studies

    public Uni<StudyResponse> findById(long id) {
        return db.one("SELECT " + StudyResponse.COLUMNS + FROM + "WHERE s.id = $1", StudyResponse::from, id);
    }

    /** Whether the study is one the caller may see (see {@link #VISIBLE}). */
    public Uni<Boolean> isVisible(boolean superuser, Long practitionerId, Long patientId, long id) {
        return db.one("SELECT " + VISIBLE + " FROM study s WHERE s.id = $4", row -> row.getBoolean(0), superuser,
                practitionerId, patientId, id);
    }

    public Uni<Long> countVisible(boolean superuser, Long practitionerId, Long patientId, Long organizationId) {
        return db.count("SELECT count(*)" + FROM + VISIBLE_IN, superuser, practitionerId, patientId, organizationId);
    }

    /** The studies the caller may see, of one organization when given, by name. */
    public Uni<List<StudyResponse>> listVisible(boolean superuser, Long practitionerId, Long patientId,
            Long organizationId, long offset, int limit) {
        return db.list("SELECT " + StudyResponse.COLUMNS + FROM + VISIBLE_IN + " ORDER BY s.name, s.id OFFSET $5 "
                + "LIMIT $6", StudyResponse::from, superuser, practitionerId, patientId, organizationId, offset, limit);
    }

    public Uni<Long> insert(SqlClient tx, String name, String description, long organizationId, String iconUrl) {
        return Db.one(tx, "INSERT INTO study (name, description, organization_id, icon_url) VALUES ($1, $2, $3, $4) "
                + "RETURNING id", row -> row.getLong(0), name, description, organizationId, iconUrl);
    }

    /** Sets the fields given (null is "not given"), and the icon when {@code iconUrlGiven}. */
    public Uni<Integer> update(SqlClient tx, long id, String name, String description, Long organizationId,
            String iconUrl, boolean iconUrlGiven) {
        return Db.update(tx, "UPDATE study SET name = COALESCE($2, name), description = COALESCE($3, description), "
                + "organization_id = COALESCE($4, organization_id), icon_url = CASE WHEN $6 THEN $5 ELSE icon_url END, "
                + "last_updated = now() WHERE id = $1", id, name, description, organizationId, iconUrl, iconUrlGiven);
    }

    /** Deletes the study, each of its enrolments announced ({@code ENROLMENT_CHANGED}) in the same transaction. */
    public Uni<Integer> delete(SqlClient tx, long id) {
        return events.recordBulk(tx, "SELECT sp.patient_id, sp.study_id, NULL::bigint, NULL::bigint, "
                + "'ENROLMENT_CHANGED' FROM study_patient sp WHERE sp.study_id = $1", id)
                .chain(() -> Db.update(tx, "DELETE FROM study WHERE id = $1", id));
    }

    // ------------------------------------------------------------------------------------------------ patients

    /** Whether the practitioner is a direct member of the organization. */
    public Uni<Boolean> isPractitionerOf(long practitionerId, long organizationId) {
        return db.one("SELECT EXISTS (SELECT 1 FROM practitioner_organization WHERE practitioner_id = $1 "
                + "AND organization_id = $2)", row -> row.getBoolean(0), practitionerId, organizationId);
    }

    public Uni<Long> countEnrolled(long id) {
        return db.count("SELECT count(*) FROM study_patient WHERE study_id = $1", id);
    }

    public Uni<List<Long>> listEnrolledIds(long id, long offset, int limit) {
        return db.list("SELECT patient_id FROM study_patient WHERE study_id = $1 ORDER BY patient_id OFFSET $2 "
                + "LIMIT $3", row -> row.getLong(0), id, offset, limit);
    }

    /** The patients of these ids that exist, each with where it stands towards the study and its organization. */
    public Uni<List<EnrolmentState>> listEnrolmentStates(List<Long> patientIds, long organizationId, long id) {
        return db.list("SELECT p.id, EXISTS (SELECT 1 FROM patient_organization pa WHERE pa.patient_id = p.id "
                + "AND pa.organization_id = $2) AS member, EXISTS (SELECT 1 FROM study_patient sp "
                + "WHERE sp.patient_id = p.id AND sp.study_id = $3) AS enrolled FROM patient p WHERE p.id = ANY($1)",
                row -> new EnrolmentState(row.getLong("id"), row.getBoolean("member"), row.getBoolean("enrolled")),
                Db.ids(patientIds), organizationId, id);
    }

    /** Enrols the patients, each enrolment announced ({@code ENROLMENT_CHANGED}) in the same transaction. */
    public Uni<List<NewEnrolment>> insertEnrolments(SqlClient tx, long id, List<Long> patientIds) {
        return Db.list(tx, "INSERT INTO study_patient (study_id, patient_id) SELECT $1, unnest($2::bigint[]) "
                + "RETURNING id, patient_id", row -> new NewEnrolment(row.getLong(0), row.getLong(1)), id,
                Db.ids(patientIds))
                .call(created -> enrolmentsChanged(tx, id, patientIds));
    }

    /** Ends the enrolments of these patients that exist, each end announced in the same transaction. */
    public Uni<List<Long>> deleteEnrolments(SqlClient tx, long id, List<Long> patientIds) {
        return Db.list(tx, "DELETE FROM study_patient WHERE study_id = $1 AND patient_id = ANY($2) "
                + "RETURNING patient_id", row -> row.getLong(0), id, Db.ids(patientIds))
                .call(removed -> removed.isEmpty() ? Uni.createFrom().voidItem()
                        : enrolmentsChanged(tx, id, removed));
    }

    private Uni<Void> enrolmentsChanged(SqlClient tx, long id, List<Long> patientIds) {
        return events.recordBulk(tx, "SELECT p, $1::bigint, NULL::bigint, NULL::bigint, 'ENROLMENT_CHANGED' "
                + "FROM unnest($2::bigint[]) AS p", id, Db.ids(patientIds));
    }

    // ------------------------------------------------------------------------------------------------ scopes

    public Uni<List<ScopeCode>> listScopeRequests(long id) {
        return db.list("SELECT r.id, " + CodeResponse.COLUMNS + " FROM study_scope_request r "
                + "JOIN codeable_concept c ON c.id = r.scope_code_id WHERE r.study_id = $1 ORDER BY r.id",
                row -> new ScopeCode(row.getLong("id"), CodeResponse.from(row)), id);
    }

    /** A data type by its id, or null. */
    public Uni<CodeResponse> findCode(long codeId) {
        return db.one("SELECT " + CodeResponse.COLUMNS + " FROM codeable_concept c WHERE c.id = $1",
                CodeResponse::from, codeId);
    }

    /** The new scope request's id, or null when the study already requests the code. */
    public Uni<Long> insertScopeRequest(SqlClient tx, long id, long codeId) {
        return Db.one(tx, "INSERT INTO study_scope_request (study_id, scope_code_id) VALUES ($1, $2) "
                + "ON CONFLICT DO NOTHING RETURNING id", row -> row.getLong(0), id, codeId);
    }

    public Uni<Integer> deleteScopeRequest(SqlClient tx, long id, long codeId) {
        return Db.update(tx, "DELETE FROM study_scope_request WHERE study_id = $1 AND scope_code_id = $2", id,
                codeId);
    }

    // ------------------------------------------------------------------------------------------------ links

    /** The patient apps linked to the study: each link's id and the app. */
    public Uni<List<LinkOf<Client>>> listClients(long id) {
        return db.list("SELECT l.id, c.id AS client_pk, c.client_id, c.name, c.invitation_url FROM study_client l "
                + "JOIN oauth_client c ON c.id = l.client_id WHERE l.study_id = $1 ORDER BY l.id",
                row -> new LinkOf<>(row.getLong("id"), new Client(row.getLong("client_pk"), row.getString("name"),
                        row.getString("client_id"), row.getString("invitation_url"))), id);
    }

    /** The data sources linked to the study: each link's id and the data source. */
    public Uni<List<LinkOf<DataSource>>> listDataSources(long id) {
        return db.list("SELECT l.id, d.id AS ds_id, d.name, d.type, d.last_updated FROM study_data_source l "
                + "JOIN data_source d ON d.id = l.data_source_id WHERE l.study_id = $1 ORDER BY l.id",
                row -> new LinkOf<>(row.getLong("id"), new DataSource(row.getLong("ds_id"), row.getString("name"),
                        row.getString("type"), row.getOffsetDateTime("last_updated"))), id);
    }

    /** A link's id and what it links to. */
    public record LinkOf<T>(long id, T target) {
    }

    /** Whether what a link would point to exists (a patient app, for clients). */
    public Uni<Boolean> linkTargetExists(Link link, long targetId) {
        return db.one(link.exists, row -> row.getBoolean(0), targetId);
    }

    /** The new link's id, or null when the study is already linked to it. */
    public Uni<Long> insertLink(SqlClient tx, Link link, long id, long targetId) {
        return Db.one(tx, "INSERT INTO " + link.table + " (study_id, " + link.column + ") VALUES ($1, $2) "
                + "ON CONFLICT DO NOTHING RETURNING id", row -> row.getLong(0), id, targetId);
    }

    public Uni<Integer> deleteLink(SqlClient tx, Link link, long id, long targetId) {
        return Db.update(tx, "DELETE FROM " + link.table + " WHERE study_id = $1 AND " + link.column + " = $2", id,
                targetId);
    }
}
