package org.jupyterhealth.exchange.identity.token;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.identity.account.JheUser;
import org.jupyterhealth.exchange.identity.account.UserRows;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Refresh tokens, stored as their SHA-256 (set-based SQL on the reactive client: the refresh grant's hot path). */
@ApplicationScoped
public class RefreshTokenRepository {

    /** A refresh token just rotated (marked used): its family, its scope and its account. */
    public record Rotated(UUID familyId, String scope, JheUser user) {
    }

    /** What is known of a refresh token that could not be rotated. */
    public record State(UUID familyId, long clientPk, long userId, String scope, Instant expiresAt, boolean rotated,
            boolean revoked, boolean expired) {
        /** Could have been used: the refusal was about the request, not the token. */
        public boolean current() {
            return !rotated && !revoked && !expired;
        }
    }

    private final Pool pool;

    public RefreshTokenRepository(Pool pool) {
        this.pool = pool;
    }

    /** Records an access token and creates the refresh token issued with it, in one statement. */
    public Uni<Void> insertWithAccessToken(UUID jti, Instant accessExpiresAt, String tokenHash, UUID familyId,
            long clientPk, long userId, String scope, Instant expiresAt) {
        return pool.preparedQuery("WITH access AS (INSERT INTO identity.access_token "
                + "(jti, user_id, client_pk, family_id, expires_at) VALUES ($1, $2, $3, $4, $5)) "
                + "INSERT INTO identity.refresh_token (token_hash, family_id, client_pk, user_id, scope, expires_at) "
                + "VALUES ($6, $4, $3, $2, $7, $8)")
                .execute(Tuple.tuple().addUUID(jti).addLong(userId).addLong(clientPk).addUUID(familyId)
                        .addOffsetDateTime(AccessTokenRepository.utc(accessExpiresAt)).addString(tokenHash)
                        .addString(scope).addOffsetDateTime(AccessTokenRepository.utc(expiresAt)))
                .replaceWithVoid();
    }

    /**
     * Marks the token used, atomically, if it is current (not rotated, not revoked, not expired), belongs to
     * {@code clientPk} (RFC 6749 §6) and was granted every scope in {@code requestedScopes} (all when empty);
     * null otherwise.
     */
    public Uni<Rotated> rotate(String tokenHash, long clientPk, String[] requestedScopes) {
        return pool.preparedQuery("WITH used AS (UPDATE identity.refresh_token SET rotated_at = now() "
                + "WHERE token_hash = $1 AND client_pk = $2 AND rotated_at IS NULL AND revoked_at IS NULL "
                + "AND expires_at > now() AND $3::text[] <@ string_to_array(scope, ' ') "
                + "RETURNING family_id, scope, user_id) "
                + "SELECT used.family_id, used.scope, " + UserRows.COLUMNS
                + " FROM used JOIN identity.jhe_user u ON u.id = used.user_id")
                .execute(Tuple.of(tokenHash, clientPk, requestedScopes))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Rotated(row.getUUID("family_id"), row.getString("scope"), UserRows.from(row));
                });
    }

    /** The state of a token; null when no such token was ever issued (or it was forgotten after expiry). */
    public Uni<State> findByHash(String tokenHash) {
        return pool.preparedQuery("SELECT family_id, client_pk, user_id, scope, expires_at, "
                + "rotated_at IS NOT NULL AS rotated, "
                + "revoked_at IS NOT NULL AS revoked, expires_at <= now() AS expired "
                + "FROM identity.refresh_token WHERE token_hash = $1")
                .execute(Tuple.of(tokenHash))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new State(row.getUUID("family_id"), row.getLong("client_pk"), row.getLong("user_id"),
                            row.getString("scope"), row.getOffsetDateTime("expires_at").toInstant(),
                            row.getBoolean("rotated"), row.getBoolean("revoked"), row.getBoolean("expired"));
                });
    }

    public Uni<Integer> revokeByFamily(UUID familyId) {
        return revoke("family_id = $1", Tuple.of(familyId));
    }

    public Uni<Integer> revokeByUser(long userId) {
        return revoke("user_id = $1", Tuple.of(userId));
    }

    /** Revokes the account's refresh tokens but those of {@code keptFamilyId} (all of them when it is null). */
    /** Revokes, in {@code tx}, the user's refresh tokens of every family but {@code keptFamilyId} (null: all). */
    public Uni<Integer> revokeByUserExceptFamily(SqlClient tx, long userId, UUID keptFamilyId) {
        return revoke(tx, "user_id = $1 AND family_id IS DISTINCT FROM $2", Tuple.of(userId, keptFamilyId));
    }

    public Uni<Integer> revokeByClient(long clientPk) {
        return revoke("client_pk = $1", Tuple.of(clientPk));
    }

    /** Deletes tokens expired before {@code before}. */
    public Uni<Integer> deleteExpired(Instant before) {
        return pool.preparedQuery("DELETE FROM identity.refresh_token WHERE expires_at < $1")
                .execute(Tuple.of(AccessTokenRepository.utc(before)))
                .map(rows -> rows.rowCount());
    }

    private Uni<Integer> revoke(String where, Tuple parameters) {
        return revoke(pool, where, parameters);
    }

    private static Uni<Integer> revoke(SqlClient client, String where, Tuple parameters) {
        return client.preparedQuery("UPDATE identity.refresh_token SET revoked_at = now() WHERE revoked_at IS NULL AND "
                + where).execute(parameters).map(rows -> rows.rowCount());
    }
}
