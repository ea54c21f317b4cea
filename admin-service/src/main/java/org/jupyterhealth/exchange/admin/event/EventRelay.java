package org.jupyterhealth.exchange.admin.event;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.common.outbox.OutboxLoop;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Publishes the outbox on {@code admin-events}: right after a transaction that recorded events commits, and every
 * second for what an earlier attempt could not send (Kafka down). Rows are locked while being sent
 * ({@code SKIP LOCKED}), so several replicas never send the same event twice, and deleted only once Kafka acknowledged.
 */
@ApplicationScoped
public class EventRelay {
    private static final Logger LOG = Logger.getLogger(EventRelay.class);
    private static final int BATCH = 200;

    private final Pool pool;
    private final MutinyEmitter<String> emitter;
    private final OutboxLoop loop;

    @Inject
    public EventRelay(Pool pool, @Channel("admin-events") MutinyEmitter<String> emitter) {
        this.pool = pool;
        this.emitter = emitter;
        this.loop = new OutboxLoop(this::publishBatch, BATCH,
                failure -> LOG.warnf("admin events not published yet: %s", failure.getMessage()));
    }

    void start(@Observes StartupEvent event) {
        loop.start();
    }

    void stop(@Observes ShutdownEvent event) {
        loop.stop();
    }

    /** Asks for the outbox to be published soon; returns at once. */
    public void kick() {
        loop.kick();
    }

    /** Sends up to one batch, in id order; returns how many were sent. */
    Uni<Integer> publishBatch() {
        return OutboxBatch.send(pool, "admin_event_outbox", BATCH, (key, payload) -> emitter.sendMessage(
                Message.of(payload).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build())));
    }
}
