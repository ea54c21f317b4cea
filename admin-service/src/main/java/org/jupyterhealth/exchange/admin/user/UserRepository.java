package org.jupyterhealth.exchange.admin.user;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.account.Account;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.db.JsonText;
import org.jupyterhealth.exchange.admin.security.Caller;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/** The read model of the accounts admin-service knows, as callers may see them. */
@ApplicationScoped
public class UserRepository {
    /**
     * The accounts one may list ($1 user, $2 superuser, $3 practitioner): all for a superuser, oneself, and the
     * practitioners and patients of one's organizations.
     */
    private static final String VISIBLE = "($2::boolean OR a.id = $1 OR a.id IN ("
            + "SELECT p.jhe_user_id FROM practitioner p JOIN practitioner_organization m ON m.practitioner_id = p.id "
            + "WHERE m.organization_id IN (SELECT organization_id FROM practitioner_organization "
            + "WHERE practitioner_id = $3) "
            + "UNION SELECT pt.jhe_user_id FROM patient pt JOIN patient_organization pa ON pa.patient_id = pt.id "
            + "WHERE pa.organization_id IN (SELECT organization_id FROM practitioner_organization "
            + "WHERE practitioner_id = $3)))";

    private final Db db;

    public UserRepository(Db db) {
        this.db = db;
    }

    private static Account map(Row row) {
        return new Account(row.getLong("id"), row.getString("email"), row.getString("first_name"),
                row.getString("last_name"), row.getString("user_type"), row.getBoolean("is_superuser"));
    }

    /** Puts the caller's own account in the read model (from its token) unless it is there. */
    public Uni<Void> insertCallerIfAbsent(Caller caller) {
        return db.query("INSERT INTO account (id, email, first_name, last_name, user_type, is_superuser) "
                + "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING", caller.userId(),
                caller.user().email(), caller.user().firstName(), caller.user().lastName(),
                caller.user().userType(), caller.superuser()).replaceWithVoid();
    }

    public Uni<Long> countVisible(Caller caller, String email) {
        return db.count("SELECT count(*) FROM account a WHERE " + VISIBLE
                + " AND ($4::text IS NULL OR lower(a.email) = lower($4))", caller.userId(), caller.superuser(),
                caller.practitionerId(), email);
    }

    /** A page of the accounts the caller may see (with this e-mail, case aside, when given), by last name. */
    public Uni<List<Account>> listVisible(Caller caller, String email, long offset, int limit) {
        return db.list("SELECT a.* FROM account a WHERE " + VISIBLE
                + " AND ($4::text IS NULL OR lower(a.email) = lower($4)) ORDER BY a.last_name, a.id "
                + "OFFSET $5 LIMIT $6", UserRepository::map, caller.userId(), caller.superuser(),
                caller.practitionerId(), email, offset, limit);
    }

    public Uni<Account> findById(long id) {
        return db.one("SELECT * FROM account WHERE id = $1", UserRepository::map, id);
    }

    /** The first account with this e-mail (case aside), among all or only the caller's own; or null. */
    public Uni<Account> findByEmail(String email, boolean anyone, long callerId) {
        return db.one("SELECT * FROM account a WHERE lower(a.email) = lower($1) AND ($2::boolean OR a.id = $3) "
                + "ORDER BY a.id LIMIT 1", UserRepository::map, email, anyone, callerId);
    }

    /**
     * The patient record ids of these accounts (account id → patient id) that the caller may read: its own, and
     * those of patients of its organizations.
     */
    public Uni<Map<Long, Long>> findReadablePatientIds(List<Long> userIds, long callerId, Long practitionerId) {
        return db.list("SELECT pt.id, pt.jhe_user_id FROM patient pt WHERE pt.jhe_user_id = ANY($1) AND "
                + "(pt.jhe_user_id = $2 OR EXISTS (SELECT 1 FROM patient_organization pa "
                + "JOIN practitioner_organization m ON m.organization_id = pa.organization_id "
                + "WHERE pa.patient_id = pt.id AND m.practitioner_id = $3))",
                row -> Map.entry(row.getLong(1), row.getLong(0)), Db.ids(userIds), callerId, practitionerId)
                .map(pairs -> {
                    Map<Long, Long> patientOfUser = new HashMap<>();
                    pairs.forEach(p -> patientOfUser.put(p.getKey(), p.getValue()));
                    return patientOfUser;
                });
    }

    /** A practitioner's own settings (a JSON object), or null. */
    public Uni<JsonText> findPractitionerSettings(long practitionerId) {
        return db.one("SELECT settings FROM practitioner WHERE id = $1", row -> JsonText.of(row.getJson(0)),
                practitionerId);
    }

    /** Deletes the account's patient record, if any; its id or null. */
    public Uni<Long> deletePatientOf(SqlClient tx, long userId) {
        return Db.one(tx, "DELETE FROM patient WHERE jhe_user_id = $1 RETURNING id", row -> row.getLong(0), userId);
    }

    public Uni<Integer> deletePractitionerOf(SqlClient tx, long userId) {
        return Db.update(tx, "DELETE FROM practitioner WHERE jhe_user_id = $1", userId);
    }
}
