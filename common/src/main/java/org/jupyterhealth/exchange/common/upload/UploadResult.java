package org.jupyterhealth.exchange.common.upload;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What became of an upload, produced by ingest-service to topic {@code observation-upload-results} (key: the upload
 * id) once its database transaction has committed, and stored with it so that a redelivered upload is answered the
 * same way. fhir-service renders it as the {@code batch-response} (or {@code transaction-response}) Bundle.
 *
 * @param uploadId       the upload's id
 * @param uploaderUserId who sent it; only this user may read the result
 * @param bundleType     {@code batch} or {@code transaction}
 * @param status         {@link #PROCESSED} when the per-entry outcomes are the answer (a batch, or a transaction
 *                       that was stored); for a transaction that was refused, the status of its first failing entry;
 *                       {@link #UNAVAILABLE} when the upload could not be decided (access decisions unavailable) and
 *                       nothing was stored; {@link #FAILED} when it could not be processed at all
 * @param processedAt    when ingest-service decided it
 * @param entries        one outcome per uploaded entry, in the Bundle's order
 */
public record UploadResult(UUID uploadId, long uploaderUserId, String bundleType, int status, Instant processedAt,
        List<EntryOutcome> entries) {

    public static final int PROCESSED = 200;
    public static final int UNAVAILABLE = 503;
    public static final int FAILED = 500;

    /** How many entries were stored. */
    public long storedCount() {
        return entries.stream().filter(e -> e.created() || e.stored() && e.status() != 204).count();
    }
}
