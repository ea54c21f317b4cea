package org.jupyterhealth.exchange.identity.token;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * Tells every service which access tokens are revoked: one record per {@code jti} on the compacted topic
 * {@code token-revocations} (docs/internal-api.md), and a tombstone once the token has expired anyway.
 */
@ApplicationScoped
public class RevocationProducer {
    private static final Logger LOG = Logger.getLogger(RevocationProducer.class);
    /** Longest wait for the broker's acknowledgement; a periodic job re-sends what was not acknowledged. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);

    private final MutinyEmitter<Record<String, String>> emitter;

    public RevocationProducer(@Channel("token-revocations") MutinyEmitter<Record<String, String>> emitter) {
        this.emitter = emitter;
    }

    /** Publishes the revocations; the jtis the broker acknowledged (all of them, or none on failure). */
    public Uni<List<UUID>> publish(List<AccessTokenRepository.Revoked> revoked) {
        if (revoked.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Uni<Void>> sends = revoked.stream()
                .map(r -> emitter.send(Record.of(r.jti().toString(),
                        "{\"jti\":\"" + r.jti() + "\",\"expiresAt\":\"" + r.expiresAt() + "\"}")))
                .toList();
        return Uni.join().all(sends).andFailFast()
                .ifNoItem().after(ACK_TIMEOUT).fail()
                .map(ignored -> revoked.stream().map(AccessTokenRepository.Revoked::jti).toList())
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("%d token revocation(s) not yet published (%s); they will be re-sent",
                            revoked.size(), failure.toString());
                    return List.of();
                });
    }

    /** Tombstones for tokens that have expired: the compacted topic can forget them. */
    public Uni<Void> forget(List<AccessTokenRepository.Revoked> expired) {
        if (expired.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> sends = expired.stream()
                .map(r -> emitter.send(Record.<String, String> of(r.jti().toString(), null)))
                .toList();
        return Uni.join().all(sends).andCollectFailures().ifNoItem().after(ACK_TIMEOUT).fail()
                .replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("tombstones for %d expired revocation(s) not published (%s)", expired.size(),
                            failure.toString());
                    return null;
                });
    }
}
