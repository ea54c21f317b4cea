package org.jupyterhealth.exchange.identity.account;

import java.time.Instant;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The one-time tokens of account e-mails (set-based SQL on the reactive client), stored as their SHA-256 only. A
 * token works while it is unused and unexpired, and only for an account in the state its purpose is for: an
 * activation token for an account that has no password yet, a reset token for an active account that has one.
 */
@ApplicationScoped
public class AccountTokenRepository {

    /** What a token is for; the value is the {@code purpose} column's. */
    public enum Purpose {
        ACTIVATION("activation", "u.password_hash IS NULL"),
        RESET("reset", "u.password_hash IS NOT NULL AND u.is_active");

        final String value;
        /** The state of the account (alias {@code u}) in which a token of this purpose works. */
        final String accountCondition;

        Purpose(String value, String accountCondition) {
            this.value = value;
            this.accountCondition = accountCondition;
        }
    }

    private final Pool pool;

    public AccountTokenRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Stores a new token for the account and ends its unused tokens of the same purpose, in {@code tx}: the caller
     * holds the account's row lock ({@link JheUserRepository#lockForUpdate}), so that two tokens issued at the same
     * time cannot both stay usable.
     */
    public Uni<Void> replace(SqlClient tx, long userId, Purpose purpose, String tokenHash, Instant expiresAt) {
        return tx.preparedQuery("DELETE FROM identity.account_token "
                + "WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL")
                .execute(Tuple.of(userId, purpose.value))
                .chain(() -> tx.preparedQuery("INSERT INTO identity.account_token "
                        + "(token_hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, $4)")
                        .execute(Tuple.of(tokenHash, userId, purpose.value, expiresAt.atOffset(ZoneOffset.UTC))))
                .replaceWithVoid();
    }

    /**
     * The account a token would act on, if the token works now (unused, unexpired, of this purpose, and its account
     * in the state the purpose is for); null otherwise, whichever the reason. Nothing is changed.
     */
    public Uni<JheUser> findUsable(String tokenHash, Purpose purpose) {
        return pool.preparedQuery("SELECT " + UserRows.COLUMNS + " FROM identity.account_token t "
                + "JOIN identity.jhe_user u ON u.id = t.user_id "
                + "WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL AND t.expires_at > now() "
                + "AND " + purpose.accountCondition)
                .execute(Tuple.of(tokenHash, purpose.value))
                .map(rows -> rows.size() == 0 ? null : UserRows.from(rows.iterator().next()));
    }

    /**
     * Uses an activation token and gives its account this password hash, in one statement: the token is marked used
     * only if it is unused and unexpired, so that of two submissions at the same time exactly one finds it (the
     * other waits for the row and then sees it used). The account, or null when the token did not work; a token
     * whose account has meanwhile got a password is used up without changing the account.
     */
    public Uni<JheUser> activate(String tokenHash, String passwordHash) {
        return pool.preparedQuery("WITH used AS (UPDATE identity.account_token SET used_at = now() "
                + "WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now() "
                + "RETURNING user_id) "
                + "UPDATE identity.jhe_user u SET password_hash = $3, email_verified = TRUE FROM used "
                + "WHERE u.id = used.user_id AND u.password_hash IS NULL RETURNING " + UserRows.COLUMNS)
                .execute(Tuple.of(tokenHash, Purpose.ACTIVATION.value, passwordHash))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return UserRows.from(row);
                });
    }

    /**
     * Uses a reset token and gives its account this password hash, in one statement of {@code tx} (which goes on to
     * end the account's sessions): the token is marked used only if it is unused and unexpired, so that of two
     * submissions at the same time exactly one finds it. The account, or null when the token did not work; a token
     * whose account has meanwhile been deactivated is used up without changing the account. The address the link
     * reached is now known to be the person's: it counts as verified.
     */
    public Uni<JheUser> resetPassword(SqlClient tx, String tokenHash, String passwordHash) {
        return tx.preparedQuery("WITH used AS (UPDATE identity.account_token SET used_at = now() "
                + "WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now() "
                + "RETURNING user_id) "
                + "UPDATE identity.jhe_user u SET password_hash = $3, email_verified = TRUE FROM used "
                + "WHERE u.id = used.user_id AND " + Purpose.RESET.accountCondition + " RETURNING "
                + UserRows.COLUMNS)
                .execute(Tuple.of(tokenHash, Purpose.RESET.value, passwordHash))
                .map(rows -> rows.size() == 0 ? null : UserRows.from(rows.iterator().next()));
    }

    /** Forgets tokens that expired before {@code before}, used or not. */
    public Uni<Integer> deleteExpired(Instant before) {
        return pool.preparedQuery("DELETE FROM identity.account_token WHERE expires_at < $1")
                .execute(Tuple.of(before.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount());
    }
}
