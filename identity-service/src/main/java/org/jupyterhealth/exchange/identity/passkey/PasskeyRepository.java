package org.jupyterhealth.exchange.identity.passkey;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.identity.account.JheUser;
import org.jupyterhealth.exchange.identity.account.UserRows;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Passkeys, their sign-in challenges and the accounts' passkey requirements (set-based SQL on the reactive client).
 * Challenges are stored and looked up by their SHA-256 only, which the service computes.
 */
@ApplicationScoped
public class PasskeyRepository {
    private final Pool pool;

    public PasskeyRepository(Pool pool) {
        this.pool = pool;
    }

    /** A passkey as a sign-in needs it: its key, its counter, and its account. */
    public record StoredPasskey(long id, byte[] publicKey, long signCount, JheUser user) {
    }

    /** A challenge just deleted: what it was for, and whether it was still answerable. */
    public record Challenge(String purpose, Long userId, boolean live) {
    }

    /** The credential ids of the account's passkeys (for a registration to exclude them). */
    public Uni<List<byte[]>> credentialIds(long userId) {
        return pool.preparedQuery("SELECT credential_id FROM identity.passkey WHERE user_id = $1")
                .execute(Tuple.of(userId))
                .map(rows -> {
                    List<byte[]> ids = new ArrayList<>();
                    for (Row row : rows) {
                        ids.add(row.getBuffer("credential_id").getBytes());
                    }
                    return ids;
                });
    }

    /**
     * How many passkeys the account has, its row locked until {@code tx} ends: two registrations at once are counted
     * one after the other, and the account is not deleted between the count and the insert. Null when there is no
     * such account.
     */
    public Uni<Long> countLockingAccount(SqlClient tx, long userId) {
        return tx.preparedQuery("SELECT count(*) FROM identity.passkey WHERE user_id = $1 AND $1 = (SELECT id FROM "
                + "identity.jhe_user WHERE id = $1 FOR NO KEY UPDATE)")
                .execute(Tuple.of(userId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Keeps a new passkey; a credential id registered already is the unique violation {@code 23505}. */
    public Uni<Passkey> insert(SqlClient tx, long userId, byte[] credentialId, byte[] publicKey, long signCount,
            String label) {
        return tx.preparedQuery("INSERT INTO identity.passkey (user_id, credential_id, public_key, sign_count, label) "
                + "VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at")
                .execute(Tuple.of(userId, Buffer.buffer(credentialId), Buffer.buffer(publicKey), signCount, label))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Passkey(row.getLong("id"), label, row.getOffsetDateTime("created_at"), null);
                });
    }

    /** The passkey with this credential id and its account; null when none is registered. */
    public Uni<StoredPasskey> findByCredentialId(byte[] credentialId) {
        return pool.preparedQuery("SELECT p.id AS p_id, p.public_key, p.sign_count, " + UserRows.COLUMNS
                + " FROM identity.passkey p JOIN identity.jhe_user u ON u.id = p.user_id WHERE p.credential_id = $1")
                .execute(Tuple.of(Buffer.buffer(credentialId)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new StoredPasskey(row.getLong("p_id"), row.getBuffer("public_key").getBytes(),
                            row.getLong("sign_count"), UserRows.from(row));
                });
    }

    /**
     * Records a use: the counter moves from {@code storedCount} to {@code presentedCount}, and the account's last
     * sign-in is now. False, and nothing recorded, when the counter is no longer {@code storedCount} (another use of
     * the same count won the race).
     */
    public Uni<Boolean> recordUse(long passkeyId, long userId, long presentedCount, long storedCount) {
        return pool.preparedQuery("WITH used AS (UPDATE identity.passkey SET sign_count = $3, last_used_at = now() "
                + "WHERE id = $1 AND sign_count = $4 RETURNING user_id) "
                + "UPDATE identity.jhe_user SET last_login = now() WHERE id = $2 AND id IN (SELECT user_id FROM used) "
                + "RETURNING id")
                .execute(Tuple.of(passkeyId, userId, presentedCount, storedCount))
                .map(rows -> rows.size() > 0);
    }

    /** The passkeys of an account, the newest first. */
    public Uni<List<Passkey>> list(long userId) {
        return pool.preparedQuery("SELECT id, label, created_at, last_used_at FROM identity.passkey "
                + "WHERE user_id = $1 ORDER BY created_at DESC, id DESC")
                .execute(Tuple.of(userId))
                .map(rows -> {
                    List<Passkey> passkeys = new ArrayList<>();
                    for (Row row : rows) {
                        passkeys.add(new Passkey(row.getLong("id"), row.getString("label"),
                                row.getOffsetDateTime("created_at"), row.getOffsetDateTime("last_used_at")));
                    }
                    return passkeys;
                });
    }

    /** Deletes a passkey of this account: false when the account has none with this id. */
    public Uni<Boolean> delete(long userId, long passkeyId) {
        return pool.preparedQuery("DELETE FROM identity.passkey WHERE id = $1 AND user_id = $2")
                .execute(Tuple.of(passkeyId, userId))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Whether the account requires a passkey (its own choice or its organization's) and has one. */
    public Uni<Boolean> passwordRefused(long userId) {
        return pool.preparedQuery("SELECT (u.passkey_required OR u.passkey_required_by_organization) AND EXISTS "
                + "(SELECT 1 FROM identity.passkey p WHERE p.user_id = u.id) FROM identity.jhe_user u WHERE u.id = $1")
                .execute(Tuple.of(userId))
                .map(rows -> rows.size() > 0 && Boolean.TRUE.equals(rows.iterator().next().getBoolean(0)));
    }

    /** Who requires the account to sign in with a passkey; none for an account that does not exist. */
    public Uni<PasskeyRequirement> requirement(long userId) {
        return pool.preparedQuery("SELECT passkey_required, passkey_required_by_organization FROM identity.jhe_user "
                + "WHERE id = $1")
                .execute(Tuple.of(userId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return PasskeyRequirement.NONE;
                    }
                    Row row = rows.iterator().next();
                    return new PasskeyRequirement(row.getBoolean(0), row.getBoolean(1));
                });
    }

    /** Sets the person's own choice of requiring a passkey. */
    public Uni<Void> setRequired(long userId, boolean required) {
        return pool.preparedQuery("UPDATE identity.jhe_user SET passkey_required = $2 WHERE id = $1")
                .execute(Tuple.of(userId, required))
                .replaceWithVoid();
    }

    public Uni<Void> insertChallenge(String challengeHash, String purpose, Long userId, OffsetDateTime expiresAt) {
        return pool.preparedQuery("INSERT INTO identity.passkey_challenge (challenge_hash, purpose, user_id, "
                + "expires_at) VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(challengeHash, purpose, userId, expiresAt))
                .replaceWithVoid();
    }

    /** Deletes the challenge, whatever its state: what it was, or null when there was none. */
    public Uni<Challenge> consumeChallenge(String challengeHash) {
        return pool.preparedQuery("DELETE FROM identity.passkey_challenge WHERE challenge_hash = $1 "
                + "RETURNING purpose, user_id, expires_at > now() AS live")
                .execute(Tuple.of(challengeHash))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Challenge(row.getString("purpose"), row.getLong("user_id"), row.getBoolean("live"));
                });
    }

    /** Deletes the challenges nobody answered in time; how many. */
    public Uni<Integer> deleteExpiredChallenges() {
        return pool.query("DELETE FROM identity.passkey_challenge WHERE expires_at <= now()").execute()
                .map(RowSet::rowCount);
    }
}
