package org.jupyterhealth.exchange.common.audit;

import java.time.Duration;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * Produces {@link AuditEvent}s to topic {@code audit-events}, keyed by the event's first patient
 * ({@link AuditEvent#key()}). The request never waits on the audit store, only on the broker: the producer is
 * asynchronous, its buffer bounded (a full buffer refuses at once rather than growing).
 *
 * <p>{@code jhe.audit.fail-closed=true} (the default): the access completes only once the broker has acknowledged
 * its event; a broker that does not within {@code jhe.audit.ack-timeout}, or a full buffer, fails the access with
 * {@link AuditUnavailableException} (a 503) so that nothing is served unaudited. {@code false}: the event is sent
 * and the access goes on; a lost event is counted in the log. {@code jhe.audit.enabled=false} sends nothing (for
 * measuring what auditing costs).
 *
 * <p>Each service that emits audit events makes its bean of it ({@code <service>.audit.AuditProducer}), with its
 * channel {@code audit-events} (bounded: {@code @OnOverflow(BUFFER, bufferSize = 8192)}) and the settings
 * {@code jhe.audit.*}: a bean here would make every service, the store's owner too, declare the channel.
 */
public class AuditEmitter {
    private static final Logger LOG = Logger.getLogger(AuditEmitter.class);

    private final MutinyEmitter<Record<String, String>> emitter;
    private final boolean enabled;
    private final boolean failClosed;
    private final Duration ackTimeout;

    protected AuditEmitter(MutinyEmitter<Record<String, String>> emitter, boolean enabled, boolean failClosed,
            Duration ackTimeout) {
        this.emitter = emitter;
        this.enabled = enabled;
        this.failClosed = failClosed;
        this.ackTimeout = ackTimeout;
    }

    /**
     * Sends the event; completes when the access may go on (fail closed: once the broker has it), fails with
     * {@link AuditUnavailableException} when it may not.
     */
    public Uni<Void> emit(AuditEvent event) {
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> sent = Uni.createFrom().deferred(() -> emitter.send(Record.of(event.key(), AuditJson.write(event))))
                .ifNoItem().after(ackTimeout).fail();
        if (!failClosed) {
            sent.subscribe().with(ok -> {
            }, failure -> LOG.warnf("audit event %s (%s) was not taken by the broker: %s", event.id(),
                    event.action(), failure.toString()));
            return Uni.createFrom().voidItem();
        }
        return sent.onFailure().transform(failure -> {
            LOG.warnf("audit event %s (%s) was not taken by the broker, the access is refused: %s", event.id(),
                    event.action(), failure.toString());
            return new AuditUnavailableException(failure);
        });
    }

    /**
     * Sends an event written earlier (one a service kept while the broker was away); completes once the broker has
     * it, fails otherwise, whatever {@code jhe.audit.fail-closed} says: the caller keeps it until then.
     */
    public Uni<Void> resend(String key, String eventJson) {
        return Uni.createFrom().deferred(() -> emitter.send(Record.of(key, eventJson))).ifNoItem().after(ackTimeout)
                .fail();
    }
}
