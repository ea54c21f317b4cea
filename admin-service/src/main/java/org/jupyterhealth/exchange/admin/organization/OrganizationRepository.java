package org.jupyterhealth.exchange.admin.organization;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.db.Db;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Queries on organizations; the caller's role comes with each row. */
@ApplicationScoped
public class OrganizationRepository {
    /** Columns of an organization plus the role of practitioner $1 in it. */
    static final String SELECT = "SELECT o.id, o.name, o.type, o.part_of, "
            + "(SELECT role FROM practitioner_organization r WHERE r.organization_id = o.id AND r.practitioner_id = $1) "
            + "AS role FROM organization o ";

    private final Db db;

    public OrganizationRepository(Db db) {
        this.db = db;
    }

    static OrganizationResponse map(Row row, boolean superuser) {
        return new OrganizationResponse(row.getLong("id"), row.getString("name"), row.getString("type"),
                row.getLong("part_of"), superuser ? "super_user" : row.getString("role"), List.of());
    }

    public Uni<OrganizationResponse> findById(long id, Long practitionerId, boolean superuser) {
        return db.one(SELECT + "WHERE o.id = $2", row -> map(row, superuser), practitionerId, id);
    }

    public Uni<Boolean> exists(SqlClient client, long id) {
        return Db.one(client, "SELECT EXISTS (SELECT 1 FROM organization WHERE id = $1)", row -> row.getBoolean(0), id);
    }

    /**
     * The organizations one may list ($1 practitioner, $2 patient, $3 superuser): all for a superuser, otherwise
     * those one is a direct member of.
     */
    private static final String VISIBLE = "($3::boolean OR o.id IN (SELECT organization_id FROM "
            + "practitioner_organization WHERE practitioner_id = $1) OR o.id IN (SELECT organization_id FROM "
            + "patient_organization WHERE patient_id = $2)) AND ($4::bigint IS NULL OR o.part_of = $4)";

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
    public Uni<List<OrganizationResponse>> listOfPractitioner(long practitionerId) {
        return db.list(SELECT + "JOIN practitioner_organization m ON m.organization_id = o.id "
                + "WHERE m.practitioner_id = $1 ORDER BY o.name, o.id", row -> map(row, false), practitionerId);
    }

    /** The organization and every organization below it, each with the caller's role. */
    public Uni<List<OrganizationResponse>> subtree(long id, Long practitionerId, boolean superuser) {
        return db.list("WITH RECURSIVE tree(id) AS (SELECT id FROM organization WHERE id = $2 "
                + "UNION SELECT c.id FROM organization c JOIN tree t ON c.part_of = t.id AND c.id <> 0) "
                + SELECT + "WHERE o.id IN (SELECT id FROM tree) ORDER BY o.name, o.id",
                row -> map(row, superuser), practitionerId, id);
    }

    /** Ids of the organization and of every organization below it. */
    public Uni<List<Long>> subtreeIds(SqlClient client, long id) {
        return Db.list(client, "WITH RECURSIVE tree(id) AS (SELECT id FROM organization WHERE id = $1 "
                + "UNION SELECT c.id FROM organization c JOIN tree t ON c.part_of = t.id AND c.id <> 0) "
                + "SELECT id FROM tree", row -> row.getLong(0), id);
    }
}
