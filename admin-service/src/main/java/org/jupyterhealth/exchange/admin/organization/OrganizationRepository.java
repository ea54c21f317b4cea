package org.jupyterhealth.exchange.admin.organization;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.event.Events;
import org.jupyterhealth.exchange.admin.study.StudyResponse;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Organizations, their tree, their practitioners' roles and their studies; the caller's role comes with each row. */
@ApplicationScoped
public class OrganizationRepository {
    /** Columns of an organization plus the role of practitioner $1 in it. */
    static final String SELECT = "SELECT o.id, o.name, o.type, o.part_of, o.require_passkey, "
            + "(SELECT role FROM practitioner_organization r WHERE r.organization_id = o.id AND r.practitioner_id = $1) "
            + "AS role FROM organization o ";

    /**
     * The organizations one may list ($1 practitioner, $2 patient, $3 superuser): all for a superuser, otherwise
     * those one is a direct member of.
     */
    private static final String VISIBLE = "($3::boolean OR o.id IN (SELECT organization_id FROM "
            + "practitioner_organization WHERE practitioner_id = $1) OR o.id IN (SELECT organization_id FROM "
            + "patient_organization WHERE patient_id = $2)) AND ($4::bigint IS NULL OR o.part_of = $4)";

    private static final String SUBTREE = "WITH RECURSIVE tree(id) AS (SELECT id FROM organization WHERE id = $%d "
            + "UNION SELECT c.id FROM organization c JOIN tree t ON c.part_of = t.id AND c.id <> 0) ";

    private final Db db;
    private final Events events;

    public OrganizationRepository(Db db, Events events) {
        this.db = db;
        this.events = events;
    }

    /** Whether a row was inserted or an existing one updated. */
    public record Upserted(long id, boolean created) {
    }

    static OrganizationResponse map(Row row, boolean superuser) {
        return new OrganizationResponse(row.getLong("id"), row.getString("name"), row.getString("type"),
                row.getLong("part_of"), superuser ? "super_user" : row.getString("role"),
                row.getBoolean("require_passkey"), List.of());
    }

    public Uni<OrganizationResponse> findById(long id, Long practitionerId, boolean superuser) {
        return db.one(SELECT + "WHERE o.id = $2", row -> map(row, superuser), practitionerId, id);
    }

    public Uni<Boolean> exists(SqlClient client, long id) {
        return Db.one(client, "SELECT EXISTS (SELECT 1 FROM organization WHERE id = $1)", row -> row.getBoolean(0), id);
    }

    public Uni<Long> countVisible(Long practitionerId, Long patientId, boolean superuser, Long partOf) {
        return db.count("SELECT count(*) FROM organization o WHERE " + VISIBLE, practitionerId, patientId, superuser,
                partOf);
    }

    public Uni<List<OrganizationResponse>> listVisible(Long practitionerId, Long patientId, boolean superuser,
            Long partOf, long offset, int limit) {
        return db.list(SELECT + "WHERE " + VISIBLE + " ORDER BY o.name, o.id OFFSET $5 LIMIT $6",
                row -> map(row, superuser), practitionerId, patientId, superuser, partOf, offset, limit);
    }

    /** The organizations a practitioner is a direct member of, by name. */
    public Uni<List<OrganizationResponse>> listByPractitioner(long practitionerId) {
        return db.list(SELECT + "JOIN practitioner_organization m ON m.organization_id = o.id "
                + "WHERE m.practitioner_id = $1 ORDER BY o.name, o.id", row -> map(row, false), practitionerId);
    }

    /** The organization and every organization below it, each with the caller's role. */
    public Uni<List<OrganizationResponse>> listSubtree(long id, Long practitionerId, boolean superuser) {
        return db.list(String.format(SUBTREE, 2) + SELECT + "WHERE o.id IN (SELECT id FROM tree) ORDER BY o.name, o.id",
                row -> map(row, superuser), practitionerId, id);
    }

    /** Ids of the organization and of every organization below it. */
    public Uni<List<Long>> listSubtreeIds(SqlClient client, long id) {
        return Db.list(client, String.format(SUBTREE, 1) + "SELECT id FROM tree", row -> row.getLong(0), id);
    }

    public Uni<Long> insert(SqlClient tx, String name, String type, Long partOf, boolean requirePasskey) {
        return Db.one(tx, "INSERT INTO organization (name, type, part_of, require_passkey) VALUES ($1, $2, $3, $4) "
                + "RETURNING id", row -> row.getLong(0), name, type, partOf, requirePasskey);
    }

    /** Sets the parent and, where given (not null), the name, the type and whether its staff need a passkey. */
    public Uni<Integer> update(SqlClient tx, long id, String name, String type, Long partOf, Boolean requirePasskey) {
        return Db.update(tx, "UPDATE organization SET name = COALESCE($2, name), type = COALESCE($3, type), "
                + "part_of = $4, require_passkey = COALESCE($5, require_passkey), last_updated = now() WHERE id = $1",
                id, name, type, partOf, requirePasskey);
    }

    /**
     * Whether the organization requires its staff to sign in with a passkey (false when it does not exist), the row
     * share-locked until {@code tx} ends: a change of the requirement waits for a membership being made, and a
     * membership made meanwhile sees the requirement as it is committed, so neither misses the other.
     */
    public Uni<Boolean> requiresPasskey(SqlClient tx, long id) {
        return Db.one(tx, "SELECT require_passkey FROM organization WHERE id = $1 FOR SHARE",
                row -> row.getBoolean(0), id).map(Boolean.TRUE::equals);
    }

    /** Whether an organization of the account's practitioner requires a passkey: each direct member's answer. */
    private static final String REQUIREMENT = "SELECT p.jhe_user_id, EXISTS (SELECT 1 FROM practitioner_organization "
            + "m2 JOIN organization o2 ON o2.id = m2.organization_id WHERE m2.practitioner_id = p.id "
            + "AND o2.require_passkey) FROM practitioner p ";

    /** The passkey requirement of every practitioner who is a direct member of the organization. */
    public Uni<List<PasskeyRequirement>> passkeyRequirementsOfMembers(SqlClient tx, long organizationId) {
        return Db.list(tx, REQUIREMENT + "WHERE p.id IN (SELECT practitioner_id FROM practitioner_organization "
                + "WHERE organization_id = $1) ORDER BY p.jhe_user_id",
                row -> new PasskeyRequirement(row.getLong(0), row.getBoolean(1)), organizationId);
    }

    /** The passkey requirement of these practitioners (by practitioner id). */
    public Uni<List<PasskeyRequirement>> passkeyRequirementsOf(SqlClient tx, List<Long> practitionerIds) {
        return Db.list(tx, REQUIREMENT + "WHERE p.id = ANY($1) ORDER BY p.jhe_user_id",
                row -> new PasskeyRequirement(row.getLong(0), row.getBoolean(1)), (Object) Db.ids(practitionerIds));
    }

    /** The practitioners who are direct members of an organization among these that requires a passkey. */
    public Uni<List<Long>> membersOfPasskeyOrganizations(SqlClient tx, List<Long> organizationIds) {
        return Db.list(tx, "SELECT DISTINCT m.practitioner_id FROM practitioner_organization m "
                + "JOIN organization o ON o.id = m.organization_id WHERE o.id = ANY($1) AND o.require_passkey",
                row -> row.getLong(0), (Object) Db.ids(organizationIds));
    }

    /**
     * Deletes the organization (those below it, their memberships, enrolments and studies go with it), recording
     * first the events of every patient whose membership or enrolment ends.
     */
    public Uni<Void> delete(SqlClient tx, long id, List<Long> subtree) {
        return events.recordBulk(tx, "SELECT pa.patient_id, NULL::bigint, pa.organization_id, "
                + "NULL::bigint, 'MEMBERSHIP_CHANGED' FROM patient_organization pa "
                + "WHERE pa.organization_id = ANY($1) UNION ALL "
                + "SELECT sp.patient_id, sp.study_id, s.organization_id, NULL::bigint, 'ENROLMENT_CHANGED' "
                + "FROM study_patient sp JOIN study s ON s.id = sp.study_id WHERE s.organization_id = ANY($1)",
                (Object) Db.ids(subtree))
                .call(() -> Db.update(tx, "DELETE FROM organization WHERE id = $1", id));
    }

    /** The practitioners of an organization, by last name, with their accounts' names where known. */
    public Uni<List<MemberResponse>> listMembers(long organizationId) {
        return db.list("SELECT p.jhe_user_id, a.email, "
                + "COALESCE(a.first_name, p.name_given, '') AS first_name, "
                + "COALESCE(a.last_name, p.name_family, '') AS last_name, m.role "
                + "FROM practitioner_organization m JOIN practitioner p ON p.id = m.practitioner_id "
                + "LEFT JOIN account a ON a.id = p.jhe_user_id WHERE m.organization_id = $1 "
                + "ORDER BY 4, p.jhe_user_id",
                row -> new MemberResponse(row.getLong(0), row.getString(1), row.getString(2), row.getString(3),
                        row.getString(4)), organizationId);
    }

    public Uni<Void> insertMember(SqlClient tx, long practitionerId, long organizationId, String role) {
        return Db.update(tx, "INSERT INTO practitioner_organization (practitioner_id, organization_id, role) "
                + "VALUES ($1, $2, $3)", practitionerId, organizationId, role).replaceWithVoid();
    }

    /** Makes the practitioner a member unless it has a role there already; the number of memberships made. */
    public Uni<Integer> insertMemberIfAbsent(SqlClient tx, long practitionerId, long organizationId, String role) {
        return Db.update(tx, "INSERT INTO practitioner_organization (practitioner_id, organization_id, role) "
                + "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", practitionerId, organizationId, role);
    }

    /** Gives the practitioner this role in the organization, a membership created or changed. */
    public Uni<Upserted> upsertMember(SqlClient tx, long practitionerId, long organizationId, String role) {
        return Db.one(tx, "INSERT INTO practitioner_organization (practitioner_id, organization_id, role) "
                + "VALUES ($1, $2, $3) ON CONFLICT (practitioner_id, organization_id) "
                + "DO UPDATE SET role = EXCLUDED.role RETURNING id, (xmax = 0) AS created",
                row -> new Upserted(row.getLong(0), row.getBoolean(1)), practitionerId, organizationId, role);
    }

    /** Ends the membership; the number of memberships ended (0 or 1). */
    public Uni<Integer> deleteMember(SqlClient tx, long practitionerId, long organizationId) {
        return Db.update(tx, "DELETE FROM practitioner_organization WHERE practitioner_id = $1 "
                + "AND organization_id = $2", practitionerId, organizationId);
    }

    /** The studies of an organization, by name. */
    public Uni<List<StudyResponse>> listStudies(long organizationId) {
        return db.list("SELECT " + StudyResponse.COLUMNS + " FROM study s "
                + "JOIN organization o ON o.id = s.organization_id WHERE s.organization_id = $1 "
                + "ORDER BY s.name, s.id", StudyResponse::from, organizationId);
    }
}
