package org.jupyterhealth.exchange.identity.token;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The record of every access token issued (set-based SQL on the reactive client: this is the token endpoint's hot
 * path). Revocations return the tokens they revoked, so that the other services can be told.
 */
@ApplicationScoped
public class AccessTokenRepository {
    /** A revoked access token that other services must refuse until {@code expiresAt}. */
    public record Revoked(UUID jti, Instant expiresAt) {
    }

    /**
     * What the exchange knows of one access token; {@code familyId} is the grant it was issued in (null for tokens
     * of their own, such as the services').
     */
    public record Status(UUID jti, Long userId, long clientPk, UUID familyId, Instant expiresAt, boolean revoked) {
        public boolean active() {
            return !revoked && expiresAt.isAfter(Instant.now());
        }
    }

    private static final String REVOKE = "UPDATE identity.access_token SET revoked_at = now() "
            + "WHERE revoked_at IS NULL AND expires_at > now() AND ";
    private static final String RETURNING = " RETURNING jti, expires_at";

    private final Pool pool;

    public AccessTokenRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> record(UUID jti, Long userId, long clientPk, UUID familyId, Instant expiresAt) {
        return pool.preparedQuery("INSERT INTO identity.access_token (jti, user_id, client_pk, family_id, expires_at) "
                + "VALUES ($1, $2, $3, $4, $5)")
                .execute(Tuple.of(jti, userId, clientPk, familyId, utc(expiresAt)))
                .replaceWithVoid();
    }

    /** The token's record; null when the exchange never issued it (or forgot it after it expired). */
    public Uni<Status> findByJti(UUID jti) {
        return pool.preparedQuery("SELECT jti, user_id, client_pk, family_id, expires_at, "
                + "revoked_at IS NOT NULL AS revoked FROM identity.access_token WHERE jti = $1")
                .execute(Tuple.of(jti))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Status(row.getUUID("jti"), row.getLong("user_id"), row.getLong("client_pk"),
                            row.getUUID("family_id"),
                            row.getOffsetDateTime("expires_at").toInstant(), row.getBoolean("revoked"));
                });
    }

    public Uni<List<Revoked>> revokeByJti(UUID jti) {
        return revoke("jti = $1", Tuple.of(jti));
    }

    public Uni<List<Revoked>> revokeByFamily(UUID familyId) {
        return revoke("family_id = $1", Tuple.of(familyId));
    }

    public Uni<List<Revoked>> revokeByUser(long userId) {
        return revoke("user_id = $1", Tuple.of(userId));
    }

    /** Revokes, in {@code tx}, the user's access tokens but {@code keptJti} (null: all of them). */
    public Uni<List<Revoked>> revokeByUserExcept(SqlClient tx, long userId, UUID keptJti) {
        return tx.preparedQuery(REVOKE + "user_id = $1 AND jti IS DISTINCT FROM $2" + RETURNING)
                .execute(Tuple.of(userId, keptJti))
                .map(AccessTokenRepository::revoked);
    }

    public Uni<List<Revoked>> revokeByClient(long clientPk) {
        return revoke("client_pk = $1", Tuple.of(clientPk));
    }

    /** Revoked tokens, not yet expired, whose revocation has not reached Kafka. */
    public Uni<List<Revoked>> listUnpublished(int limit) {
        return pool.preparedQuery("SELECT jti, expires_at FROM identity.access_token "
                + "WHERE revoked_at IS NOT NULL AND NOT revocation_published AND expires_at > now() LIMIT $1")
                .execute(Tuple.of(limit))
                .map(AccessTokenRepository::revoked);
    }

    public Uni<Void> markPublished(List<UUID> jtis) {
        if (jtis.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("UPDATE identity.access_token SET revocation_published = TRUE WHERE jti = ANY($1)")
                .execute(Tuple.of(jtis.toArray(new UUID[0])))
                .replaceWithVoid();
    }

    /** Deletes the records of tokens expired before {@code before}; returns the revoked ones among them. */
    public Uni<List<Revoked>> deleteExpired(Instant before, int limit) {
        return pool.preparedQuery("DELETE FROM identity.access_token WHERE jti IN (SELECT jti FROM "
                + "identity.access_token WHERE expires_at < $1 LIMIT $2) "
                + "RETURNING jti, expires_at, revoked_at IS NOT NULL AS revoked")
                .execute(Tuple.of(utc(before), limit))
                .map(rows -> {
                    List<Revoked> revoked = new ArrayList<>();
                    for (Row row : rows) {
                        if (row.getBoolean("revoked")) {
                            revoked.add(new Revoked(row.getUUID("jti"), row.getOffsetDateTime("expires_at").toInstant()));
                        }
                    }
                    return revoked;
                });
    }

    private Uni<List<Revoked>> revoke(String where, Tuple parameters) {
        return pool.preparedQuery(REVOKE + where + RETURNING).execute(parameters).map(AccessTokenRepository::revoked);
    }

    private static List<Revoked> revoked(RowSet<Row> rows) {
        List<Revoked> result = new ArrayList<>(rows.size());
        for (Row row : rows) {
            result.add(new Revoked(row.getUUID("jti"), row.getOffsetDateTime("expires_at").toInstant()));
        }
        return result;
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
