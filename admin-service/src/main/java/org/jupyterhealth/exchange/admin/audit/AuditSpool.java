package org.jupyterhealth.exchange.admin.audit;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.common.audit.AuditEvent;
import org.jupyterhealth.exchange.common.audit.AuditJson;
import org.jupyterhealth.exchange.common.outbox.OutboxLoop;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

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
        return pool.withTransaction(tx -> tx.preparedQuery(
                "SELECT id, event_key, payload FROM audit_spool ORDER BY id LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED")
                .execute()
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(0);
                    }
                    List<Long> ids = new ArrayList<>();
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Row row : rows) {
                        ids.add(row.getLong("id"));
                        String key = row.getString("event_key");
                        String payload = row.getString("payload");
                        chain = chain.chain(() -> producer.resend(key, payload));
                    }
                    return chain.chain(() -> tx.preparedQuery("DELETE FROM audit_spool WHERE id = ANY($1)")
                            .execute(Tuple.of(ids.toArray(new Long[0]))))
                            .map(deleted -> ids.size());
                }));
    }
}
