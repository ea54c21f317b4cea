package org.jupyterhealth.exchange.ingest.upload;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.ingest.config.IngestConfig;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Forgets processed uploads once they can no longer be redelivered (older than {@code jhe.ingest.upload.memory},
 * which is longer than the upload topic's retention). Each replica may run it; the deletion is idempotent.
 */
@ApplicationScoped
public class UploadMemory {
    private static final Logger LOG = Logger.getLogger(UploadMemory.class);

    private final UploadRepository repository;
    private final IngestConfig config;

    public UploadMemory(UploadRepository repository, IngestConfig config) {
        this.repository = repository;
        this.config = config;
    }

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetOldUploads() {
        OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC).minus(config.memory());
        return repository.deleteUploadsProcessedBefore(before)
                .invoke(count -> {
                    if (count > 0) {
                        LOG.infof("forgot %d uploads processed before %s", count, before);
                    }
                })
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("old uploads not forgotten this time: %s", e.toString());
                    return 0;
                })
                .replaceWithVoid();
    }
}
