package org.jupyterhealth.exchange.admin.practitioner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.account.Account;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.organization.OrganizationResponse;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Practitioners: their records, the names of their accounts and the organizations they belong to. */
@ApplicationScoped
public class PractitionerRepository {
    private final Db db;

    public PractitionerRepository(Db db) {
        this.db = db;
    }

    /** The practitioner record of an account, or null when it has none. */
    public Uni<PractitionerSummary> findSummaryByUserId(long userId) {
        return db.one("SELECT p.id, p.jhe_user_id, p.name_family, p.name_given, a.email FROM practitioner p "
                + "LEFT JOIN account a ON a.id = p.jhe_user_id WHERE p.jhe_user_id = $1",
                row -> new PractitionerSummary(row.getLong(0), row.getLong(1), row.getString(2), row.getString(3),
                        row.getString(4)), userId);
    }

    /** The practitioner record of a practitioner's account, created from the account's names unless it exists. */
    public Uni<PractitionerSummary> insertForAccount(Account account) {
        return insertForAccount(db.client(), account);
    }

    public Uni<PractitionerSummary> insertForAccount(SqlClient client, Account account) {
        return Db.one(client, "INSERT INTO practitioner (jhe_user_id, name_family, name_given) VALUES ($1, $2, $3) "
                + "ON CONFLICT (jhe_user_id) DO UPDATE SET jhe_user_id = EXCLUDED.jhe_user_id RETURNING id",
                row -> new PractitionerSummary(row.getLong(0), account.id(), account.lastName(), account.firstName(),
                        account.email()), account.id(), account.lastName(), account.firstName());
    }

    public Uni<Long> count() {
        return db.count("SELECT count(*) FROM practitioner");
    }

    /** A page of practitioners' ids, in the order they were created. */
    public Uni<List<Long>> listIds(long offset, int limit) {
        return db.list("SELECT id FROM practitioner ORDER BY id OFFSET $1 LIMIT $2", r -> r.getLong(0), offset, limit);
    }

    /** The practitioner, or null. */
    public Uni<PractitionerResponse> findById(long id) {
        return listByIds(List.of(id)).map(list -> list.isEmpty() ? null : list.get(0));
    }

    /** These practitioners by id, each with its account's e-mail and its organizations (in membership order). */
    public Uni<List<PractitionerResponse>> listByIds(List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Uni<List<Row>> rows = db.list("SELECT p.*, a.email FROM practitioner p "
                + "LEFT JOIN account a ON a.id = p.jhe_user_id WHERE p.id = ANY($1) ORDER BY p.id", r -> r,
                (Object) Db.ids(ids));
        Uni<List<Row>> orgs = db.list("SELECT m.practitioner_id, m.role, o.id, o.name, "
                + "o.type, o.part_of FROM practitioner_organization m JOIN organization o ON o.id = m.organization_id "
                + "WHERE m.practitioner_id = ANY($1) ORDER BY m.id", r -> r, (Object) Db.ids(ids));
        return Uni.combine().all().unis(rows, orgs).asTuple().map(t -> {
            Map<Long, List<OrganizationResponse>> byPractitioner = new HashMap<>();
            t.getItem2().forEach(r -> byPractitioner.computeIfAbsent(r.getLong("practitioner_id"),
                    k -> new ArrayList<>()).add(new OrganizationResponse(r.getLong("id"), r.getString("name"),
                            r.getString("type"), r.getLong("part_of"), r.getString("role"), List.of())));
            List<PractitionerResponse> out = new ArrayList<>();
            for (Row r : t.getItem1()) {
                long id = r.getLong("id");
                out.add(new PractitionerResponse(id, r.getLong("jhe_user_id"), r.getString("name_family"),
                        r.getString("name_given"), r.getString("email"), byPractitioner.getOrDefault(id, List.of())));
            }
            return out;
        });
    }

    /** The practitioner record of an account, its names set where given; the record's id. */
    public Uni<Long> upsert(SqlClient tx, long userId, String nameFamily, String nameGiven) {
        return Db.one(tx, "INSERT INTO practitioner (jhe_user_id, name_family, name_given) VALUES ($1, $2, $3) "
                + "ON CONFLICT (jhe_user_id) DO UPDATE "
                + "SET name_family = COALESCE(EXCLUDED.name_family, practitioner.name_family), "
                + "name_given = COALESCE(EXCLUDED.name_given, practitioner.name_given) RETURNING id",
                r -> r.getLong(0), userId, nameFamily, nameGiven);
    }

    /** Sets the names where given (not null). */
    public Uni<Integer> updateNames(SqlClient tx, long id, String nameFamily, String nameGiven) {
        return Db.update(tx, "UPDATE practitioner SET name_family = COALESCE($2, name_family), "
                + "name_given = COALESCE($3, name_given), last_updated = now() WHERE id = $1", id, nameFamily,
                nameGiven);
    }

    public Uni<Integer> delete(SqlClient tx, long id) {
        return Db.update(tx, "DELETE FROM practitioner WHERE id = $1", id);
    }

    /** Whether the account is also an administrator's or a patient's, and so outlives its practitioner record. */
    public Uni<Boolean> isAccountKept(SqlClient tx, long userId) {
        return Db.one(tx, "SELECT (SELECT is_superuser FROM account WHERE id = $1) IS TRUE "
                + "OR EXISTS (SELECT 1 FROM patient WHERE jhe_user_id = $1)", r -> r.getBoolean(0), userId);
    }
}
