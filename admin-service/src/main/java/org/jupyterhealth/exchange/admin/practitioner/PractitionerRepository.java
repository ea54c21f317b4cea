package org.jupyterhealth.exchange.admin.practitioner;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.account.Account;
import org.jupyterhealth.exchange.admin.db.Db;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Practitioners: their records and the names of their accounts. */
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
}
