package org.jupyterhealth.exchange.identity.account;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Accounts (set-based SQL on the reactive client); e-mail addresses are compared case-insensitively. */
@ApplicationScoped
public class JheUserRepository {
    private static final String COLUMNS = UserRows.COLUMNS + ", u.password_hash AS u_password_hash";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM identity.jhe_user u ";

    private final Pool pool;

    public JheUserRepository(Pool pool) {
        this.pool = pool;
    }

    /** The account with this id; null if there is none. */
    public Uni<JheUser> findById(long id) {
        return pool.preparedQuery(SELECT + "WHERE u.id = $1").execute(Tuple.of(id)).map(JheUserRepository::first);
    }

    /** The account with this e-mail address, in any case; null if there is none. */
    public Uni<JheUser> findByEmail(String email) {
        return pool.preparedQuery(SELECT + "WHERE lower(u.email) = lower($1)")
                .execute(Tuple.of(email))
                .map(JheUserRepository::first);
    }

    /**
     * The one account whose identifier (the id of its FHIR resource at the EHR) is this one; null when there is none
     * or more than one, since a token naming an ambiguous identifier names nobody in particular.
     */
    public Uni<JheUser> findByIdentifier(String identifier) {
        return pool.preparedQuery(SELECT + "WHERE u.identifier = $1 AND u.identifier <> '' LIMIT 2")
                .execute(Tuple.of(identifier))
                .map(rows -> rows.size() == 1 ? first(rows) : null);
    }

    /**
     * Whether the account exists, keeping it until {@code tx} ends: a row that refers to it (a client it owns) can
     * then be inserted without the account being deleted in between.
     */
    public Uni<Boolean> lockExisting(SqlClient tx, long id) {
        return tx.preparedQuery("SELECT 1 FROM identity.jhe_user WHERE id = $1 FOR KEY SHARE")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() > 0);
    }

    /**
     * The account with this id, locked until {@code tx} ends against another transaction doing the same (and against
     * a change of its password); null if there is none. What is decided from it (its password hash) then stays
     * true until the end of {@code tx}.
     */
    public Uni<JheUser> lockForUpdate(SqlClient tx, long id) {
        return tx.preparedQuery(SELECT + "WHERE u.id = $1 FOR NO KEY UPDATE")
                .execute(Tuple.of(id))
                .map(JheUserRepository::first);
    }

    /**
     * The account with this e-mail, marked as registered again, or else created with these values; one statement,
     * so that registrations of one address at the same time give one account (the unique index on the lower-cased
     * e-mail decides). An existing account is found first, so that it costs no id of the sequence. A new account
     * is the only one whose {@code registered_again} is false: that tells which of the two happened.
     */
    public Uni<Registration> registerByEmail(String email, String firstName, String lastName, String userType) {
        return pool.preparedQuery("WITH found AS (UPDATE identity.jhe_user u SET registered_again = TRUE "
                + "WHERE lower(u.email) = lower($1) RETURNING " + COLUMNS + ", u.registered_again), "
                + "inserted AS (INSERT INTO identity.jhe_user AS u (email, first_name, last_name, user_type) "
                + "SELECT $1::text, $2::text, $3::text, $4::text WHERE NOT EXISTS (SELECT 1 FROM found) "
                + "ON CONFLICT ((lower(email))) DO UPDATE SET registered_again = TRUE "
                + "RETURNING " + COLUMNS + ", u.registered_again) "
                + "SELECT * FROM found UNION ALL SELECT * FROM inserted")
                .execute(Tuple.of(email, firstName, lastName, userType))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Registration(read(row), !row.getBoolean("registered_again"));
                });
    }

    /** The account with this e-mail, in any case, marked as registered again; null if there is none. */
    public Uni<JheUser> markRegisteredAgain(String email) {
        return pool.preparedQuery("UPDATE identity.jhe_user u SET registered_again = TRUE "
                + "WHERE lower(u.email) = lower($1) RETURNING " + COLUMNS)
                .execute(Tuple.of(email))
                .map(JheUserRepository::first);
    }

    /** Changes the names and the user type, leaving those that are null; the account, or null if there is none. */
    public Uni<JheUser> update(long id, String firstName, String lastName, String userType) {
        return pool.preparedQuery("UPDATE identity.jhe_user u SET first_name = coalesce($2, u.first_name), "
                + "last_name = coalesce($3, u.last_name), user_type = coalesce($4, u.user_type) "
                + "WHERE u.id = $1 RETURNING " + COLUMNS)
                .execute(Tuple.of(id, firstName, lastName, userType))
                .map(JheUserRepository::first);
    }

    /**
     * Replaces the password of an active account, only if its hash is still {@code currentHash}: of two changes made
     * at the same time with the same current password, one succeeds. True when the password was replaced.
     */
    /** Replaces the password, in {@code tx}, only if it is still {@code currentHash}; false otherwise. */
    public Uni<Boolean> changePassword(SqlClient tx, long id, String currentHash, String newHash) {
        return tx.preparedQuery("UPDATE identity.jhe_user SET password_hash = $3 "
                + "WHERE id = $1 AND password_hash = $2 AND is_active")
                .execute(Tuple.of(id, currentHash, newHash))
                .map(rows -> rows.rowCount() > 0);
    }

    public Uni<Void> recordLogin(long id) {
        return pool.preparedQuery("UPDATE identity.jhe_user SET last_login = now() WHERE id = $1")
                .execute(Tuple.of(id))
                .replaceWithVoid();
    }

    /**
     * Deletes the account only if nothing can have used it since it was created: no registration found it again,
     * it has no password and never signed in, no token or code was ever issued for it and it owns no client.
     * One statement, so that nothing can start using it between the check and the delete; a registration that
     * marks it at the same time waits for the delete, or the delete for it and then sees the mark.
     */
    public Uni<Boolean> deleteIfUnused(long id) {
        return pool.preparedQuery("DELETE FROM identity.jhe_user u "
                + "WHERE u.id = $1 AND NOT u.registered_again AND u.password_hash IS NULL AND u.last_login IS NULL "
                + "AND NOT u.is_superuser "
                + "AND NOT EXISTS (SELECT 1 FROM identity.access_token t WHERE t.user_id = u.id) "
                + "AND NOT EXISTS (SELECT 1 FROM identity.refresh_token r WHERE r.user_id = u.id) "
                + "AND NOT EXISTS (SELECT 1 FROM identity.authorization_code c WHERE c.user_id = u.id) "
                + "AND NOT EXISTS (SELECT 1 FROM identity.oauth_client o WHERE o.owner_user_id = u.id)")
                .execute(Tuple.of(id))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Deletes the account; its clients, codes and refresh tokens cascade. */
    public Uni<Boolean> deleteById(long id) {
        return pool.preparedQuery("DELETE FROM identity.jhe_user WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> rows.rowCount() > 0);
    }

    private static JheUser first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : read(rows.iterator().next());
    }

    private static JheUser read(Row row) {
        return UserRows.from(row, row.getString("u_password_hash"));
    }

    /**
     * Sets whether an organization requires these accounts to sign in with a passkey: on for {@code required}, off
     * for {@code notRequired} (the person's own choice is another column, left as it is). Ids of no account are
     * skipped. The number of accounts changed.
     */
    public Uni<Integer> setPasskeyRequiredByOrganization(Long[] required, Long[] notRequired) {
        return pool.preparedQuery("UPDATE identity.jhe_user SET passkey_required_by_organization = (id = ANY($1)) "
                + "WHERE (id = ANY($1) OR id = ANY($2)) AND passkey_required_by_organization <> (id = ANY($1))")
                .execute(Tuple.of(required, notRequired))
                .map(RowSet::rowCount);
    }

}
