package org.jupyterhealth.exchange.fhir.upload;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.common.upload.UploadEnvelope;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Upload receipts (fhir-service's own table): which user sent an upload that may still be running, for the
 * asynchronous status. The finished outcome is read from ingest-service's store ({@code ingest.upload}), read-only.
 */
@ApplicationScoped
public class UploadReceiptRepository {

    /** What is known of an upload: who sent it, and its outcome (JSON) once it is processed. */
    public record Known(long uploaderUserId, String resultJson) {
        public boolean finished() {
            return resultJson != null;
        }
    }

    private final Pool pool;

    public UploadReceiptRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> insertReceipt(UploadEnvelope upload) {
        return pool.preparedQuery("""
                INSERT INTO fhir.upload_receipt (upload_id, uploader_user_id, bundle_type, entry_count)
                VALUES ($1, $2, $3, $4) ON CONFLICT (upload_id) DO NOTHING
                """)
                .execute(Tuple.of(upload.uploadId(), upload.uploaderUserId(), upload.bundleType(),
                        upload.entries().size()))
                .replaceWithVoid();
    }

    public Uni<Void> deleteReceipt(UUID uploadId) {
        return pool.preparedQuery("DELETE FROM fhir.upload_receipt WHERE upload_id = $1")
                .execute(Tuple.of(uploadId)).replaceWithVoid();
    }

    /** The outcome recorded by ingest-service, or a null item while the upload has not been processed. */
    public Uni<String> findResult(UUID uploadId) {
        return pool.preparedQuery("SELECT result::text FROM ingest.upload WHERE upload_id = $1")
                .execute(Tuple.of(uploadId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
    }

    /** What is known of the upload, or a null item when it is unknown. */
    public Uni<Known> findUpload(UUID uploadId) {
        return pool.preparedQuery("""
                SELECT u.uploader_user_id, u.result::text, 0 AS rank FROM ingest.upload u WHERE u.upload_id = $1
                UNION ALL
                SELECT r.uploader_user_id, NULL, 1 FROM fhir.upload_receipt r WHERE r.upload_id = $1
                ORDER BY rank LIMIT 1
                """)
                .execute(Tuple.of(uploadId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new Known(row.getLong(0), row.getString(1));
                });
    }
}
