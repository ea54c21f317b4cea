package org.jupyterhealth.exchange.admin.audit;


import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.event.OutboxBatch;
import org.jupyterhealth.exchange.common.audit.AuditEvent;
import org.jupyterhealth.exchange.common.audit.AuditJson;
import org.jupyterhealth.exchange.common.outbox.OutboxLoop;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Where the audit event of a committed change waits when the broker did not take it in time: a change cannot be
 * taken back once committed, so rather than answer it unaudited or lose its event, the event is kept in
 * {@code audit_spool} and sent again, oldest first, every second until the broker acknowledges it (rows locked
 * while being sent, {@code SKIP LOCKED}, so that replicas never send one twice; deleted only once acknowledged).
 * Reads never come here: with no broker they are refused (docs/architecture.md#audit-trail).
 */
@ApplicationScoped
public class AuditSpool {
    private static final Logger LOG = Logger.getLogger(AuditSpool.class);
    private static final int BATCH = 200;

    private final Pool pool;
    private final AuditProducer producer;
    private final OutboxLoop loop;

    public AuditSpool(Pool pool, AuditProducer producer) {
        this.pool = pool;
        this.producer = producer;
        this.loop = new OutboxLoop(this::sendBatch, BATCH,
                failure -> LOG.warnf("spooled audit events not sent yet: %s", failure.getMessage()));
    }

    void start(@Observes StartupEvent event) {
        loop.start();
    }

    void stop(@Observes ShutdownEvent event) {
        loop.stop();
    }

    /** Keeps the event until the broker takes it. */
    public Uni<Void> keep(AuditEvent event) {
        return Db.update(pool, "INSERT INTO audit_spool (event_key, payload) VALUES ($1, $2)", event.key(),
                AuditJson.write(event)).replaceWithVoid();
    }

    /** Sends up to one batch, in id order; returns how many were sent. */
    Uni<Integer> sendBatch() {
        return OutboxBatch.send(pool, "audit_spool", BATCH, producer::resend);
    }
}
