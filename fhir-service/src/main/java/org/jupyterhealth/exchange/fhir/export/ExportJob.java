package org.jupyterhealth.exchange.fhir.export;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A row of {@code fhir.export_job}. */
public record ExportJob(UUID id, long requesterUserId, String requestUrl, ExportJobSpec spec, String status,
        OffsetDateTime transactionTime, OffsetDateTime createdAt, OffsetDateTime expiresAt, long estimated,
        long written, String failure) {

    static final String QUEUED = "queued";
    static final String RUNNING = "running";
    static final String COMPLETED = "completed";
    static final String FAILED = "failed";

    boolean expired(OffsetDateTime now) {
        return !expiresAt.isAfter(now);
    }
}
