package org.jupyterhealth.exchange.ingest.audit;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Keeps the audit store's monthly partitions: those of the coming months exist before their first event, and a
 * month entirely older than {@code jhe.audit.retention} (6 years by default) is dropped, whole. Every replica may
 * run it; the database function it calls is idempotent.
 */
@ApplicationScoped
public class AuditPartitions {
    private static final Logger LOG = Logger.getLogger(AuditPartitions.class);
    /** Partitions created ahead of the current month. */
    static final int MONTHS_AHEAD = 2;

    private final AuditRepository repository;
    private final Duration retention;

    public AuditPartitions(AuditRepository repository,
            @ConfigProperty(name = "jhe.audit.retention", defaultValue = "2192d") Duration retention) {
        this.repository = repository;
        this.retention = retention;
    }

    void onStart(@Observes StartupEvent start) {
        maintain().subscribe().with(ignored -> {
        });
    }

    @Scheduled(every = "6h", delayed = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> maintain() {
        return repository.maintainPartitions(MONTHS_AHEAD, retention)
                .invoke(dropped -> {
                    if (dropped > 0) {
                        LOG.infof("dropped %d month(s) of audit events older than %s", dropped, retention);
                    }
                })
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("audit partitions not maintained this time: %s", e.toString());
                    return 0;
                })
                .replaceWithVoid();
    }
}
