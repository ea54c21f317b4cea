package org.jupyterhealth.exchange.identity.code;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.identity.account.JheUser;
import org.jupyterhealth.exchange.identity.account.UserRows;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Authorization codes, stored as their SHA-256 (set-based SQL on the reactive client). */
@ApplicationScoped
public class AuthorizationCodeRepository {

    /** A code just consumed (marked used), with its account. */
    public record Consumed(long clientPk, String redirectUri, String scope, String codeChallenge, String nonce,
            UUID familyId, Instant issuedAt, boolean expired, JheUser user) {
    }

    private final Pool pool;

    public AuthorizationCodeRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> insert(String codeHash, long clientPk, long userId, String redirectUri, String scope,
            String codeChallenge, String nonce, UUID familyId, Instant expiresAt) {
        return pool.preparedQuery("INSERT INTO identity.authorization_code (code_hash, client_pk, user_id, "
                + "redirect_uri, scope, code_challenge, code_challenge_method, nonce, family_id, expires_at) "
                + "VALUES ($1, $2, $3, $4, $5, $6, 'S256', $7, $8, $9)")
                .execute(Tuple.tuple().addString(codeHash).addLong(clientPk).addLong(userId).addString(redirectUri)
                        .addString(scope).addString(codeChallenge).addString(nonce).addUUID(familyId)
                        .addOffsetDateTime(expiresAt.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    /** Marks the code used, atomically, if it never was; null when it does not exist or was already used. */
    public Uni<Consumed> consume(String codeHash) {
        return pool.preparedQuery("WITH used AS (UPDATE identity.authorization_code SET used_at = now() "
                + "WHERE code_hash = $1 AND used_at IS NULL RETURNING client_pk, user_id, redirect_uri, scope, "
                + "code_challenge, nonce, family_id, issued_at, expires_at <= now() AS expired) "
                + "SELECT used.*, " + UserRows.COLUMNS + " FROM used JOIN identity.jhe_user u ON u.id = used.user_id")
                .execute(Tuple.of(codeHash))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Consumed(row.getLong("client_pk"), row.getString("redirect_uri"),
                            row.getString("scope"), row.getString("code_challenge"), row.getString("nonce"),
                            row.getUUID("family_id"), row.getOffsetDateTime("issued_at").toInstant(),
                            row.getBoolean("expired"), UserRows.from(row));
                });
    }

    /** The grant family of a code that was already used; null when there is no such code. */
    public Uni<UUID> findFamilyOfUsedCode(String codeHash) {
        return pool.preparedQuery("SELECT family_id FROM identity.authorization_code "
                + "WHERE code_hash = $1 AND used_at IS NOT NULL")
                .execute(Tuple.of(codeHash))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getUUID("family_id"));
    }

    /** Forgets codes that expired before {@code before}. */
    public Uni<Integer> deleteExpired(Instant before) {
        return pool.preparedQuery("DELETE FROM identity.authorization_code WHERE expires_at < $1")
                .execute(Tuple.of(before.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount());
    }
}
