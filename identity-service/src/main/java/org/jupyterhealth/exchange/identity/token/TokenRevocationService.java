package org.jupyterhealth.exchange.identity.token;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Revokes tokens (one access token, a grant family, everything of an account or of a client), records the
 * revocation, and publishes the revoked access tokens so that admin-service and fhir-service refuse them within
 * seconds although they are JWTs (docs/architecture.md#identity-and-tokens). What could not be published is re-sent
 * by a periodic job; expired records are forgotten (with a tombstone on the topic).
 */
@ApplicationScoped
public class TokenRevocationService {
    private static final Logger LOG = Logger.getLogger(TokenRevocationService.class);
    private static final int BATCH = 500;

    private final AccessTokenRepository accessTokens;
    private final RefreshTokenRepository refreshTokens;
    private final RevocationProducer producer;

    public TokenRevocationService(AccessTokenRepository accessTokens, RefreshTokenRepository refreshTokens,
            RevocationProducer producer) {
        this.accessTokens = accessTokens;
        this.refreshTokens = refreshTokens;
        this.producer = producer;
    }

    /** Revokes one access token; the number of tokens revoked (0 when it already was, or has expired). */
    public Uni<Integer> revokeAccessToken(UUID jti) {
        return accessTokens.revokeByJti(jti).chain(this::publish);
    }

    /** Revokes every refresh and access token descending from one grant (a code, or a refresh chain). */
    public Uni<Integer> revokeFamily(UUID familyId) {
        return refreshTokens.revokeByFamily(familyId)
                .chain(() -> accessTokens.revokeByFamily(familyId))
                .chain(this::publish);
    }

    /** Revokes every token of an account (account deleted, password changed). */
    public Uni<Integer> revokeUser(long userId) {
        return refreshTokens.revokeByUser(userId)
                .chain(() -> accessTokens.revokeByUser(userId))
                .chain(this::publish);
    }

    /**
     * Revokes, in {@code tx}, every token of an account but the session its owner is using (password changed by the
     * owner): every access token except {@code keptJti}, and every refresh token except those of
     * {@code keptFamilyId}, the grant the kept access token was issued in (null when it was issued without a refresh
     * token: then all of them). The caller publishes the result with {@link #publishCommitted} once tx committed.
     */
    public Uni<List<AccessTokenRepository.Revoked>> revokeUserExceptSession(SqlClient tx, long userId,
            UUID keptJti, UUID keptFamilyId) {
        return refreshTokens.revokeByUserExceptFamily(tx, userId, keptFamilyId)
                .chain(() -> accessTokens.revokeByUserExcept(tx, userId, keptJti));
    }

    /**
     * Revokes, in {@code tx}, every token of an account (password reset: whoever knew the old password may hold a
     * session). The caller publishes the result with {@link #publishCommitted} once tx committed.
     */
    public Uni<List<AccessTokenRepository.Revoked>> revokeUser(SqlClient tx, long userId) {
        return revokeUserExceptSession(tx, userId, null, null);
    }

    /**
     * Publishes revocations a committed transaction recorded. They are already in force here (the token tables say
     * so); should Kafka not take them now, the republish job sends them within its interval, so the caller's request
     * is not failed for it.
     */
    public Uni<Integer> publishCommitted(List<AccessTokenRepository.Revoked> revoked) {
        return publish(revoked).onFailure().recoverWithItem(failure -> {
            LOG.warnf("%d token revocation(s) not published yet (%s); the republish job sends them", revoked.size(),
                    failure.getClass().getSimpleName());
            return revoked.size();
        });
    }

    /** Revokes every token issued to a client (client deleted). */
    public Uni<Integer> revokeClient(long clientPk) {
        return refreshTokens.revokeByClient(clientPk)
                .chain(() -> accessTokens.revokeByClient(clientPk))
                .chain(this::publish);
    }

    private Uni<Integer> publish(List<AccessTokenRepository.Revoked> revoked) {
        return producer.publish(revoked)
                .chain(accessTokens::markPublished)
                .replaceWith(revoked.size());
    }

    /** Re-sends revocations that did not reach Kafka. */
    @Scheduled(every = "${jhe.identity.revocations.republish-interval:30s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> republishPending() {
        return accessTokens.listUnpublished(BATCH)
                .chain(this::publish)
                .invoke(count -> {
                    if (count > 0) {
                        LOG.infof("re-sent %d token revocation(s)", count);
                    }
                })
                .replaceWithVoid();
    }

    /** Forgets expired tokens, codes and refresh tokens; tombstones for the revoked ones among them. */
    @Scheduled(every = "${jhe.identity.revocations.cleanup-interval:10m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetExpired() {
        Instant now = Instant.now();
        return accessTokens.deleteExpired(now, 10 * BATCH)
                .chain(producer::forget)
                .chain(() -> refreshTokens.deleteExpired(now))
                .replaceWithVoid();
    }
}
