package org.jupyterhealth.exchange.fhir.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Export jobs and their files ({@code fhir.export_job}, {@code fhir.export_file}). A worker's writes name it (its
 * lease owner) and change nothing once the job is no longer its own: cancelled (deleted), expired, or claimed by
 * another replica after its lease ran out.
 */
@ApplicationScoped
public class ExportJobRepository {
    private static final String COLUMNS = "id, requester_user_id, request_url, spec::text, status, transaction_time, "
            + "created_at, expires_at, estimated, written, failure";
    /** Key space of the per-user advisory lock taken while a kick-off counts the user's jobs ('EXPT'). */
    private static final int LOCK_CLASS = 0x45585054;

    private final Pool pool;
    private final ObjectMapper json;

    public ExportJobRepository(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /**
     * Queues a job unless its requester already has {@code limit} jobs waiting or under way; false when refused.
     * The count and the insert run under a lock of the requester, so two kick-offs at once cannot both pass.
     */
    public Uni<Boolean> insertWithinLimit(UUID id, long userId, String requestUrl, ExportJobSpec spec,
            OffsetDateTime transactionTime, OffsetDateTime expiresAt, long estimated, int limit) {
        String specJson = write(spec);
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT pg_advisory_xact_lock($1, $2)")
                .execute(Tuple.of(LOCK_CLASS, (int) (userId % Integer.MAX_VALUE)))
                .chain(() -> tx.preparedQuery("INSERT INTO fhir.export_job (id, requester_user_id, request_url, spec, "
                        + "status, transaction_time, expires_at, estimated) SELECT $1, $2, $3, $4::text::jsonb, 'queued', "
                        + "$5, $6, $7 WHERE (SELECT count(*) FROM fhir.export_job WHERE requester_user_id = $2 "
                        + "AND status IN ('queued', 'running') AND expires_at > clock_timestamp()) < $8")
                        .execute(Tuple.from(List.of(id, userId, requestUrl, specJson, transactionTime, expiresAt,
                                estimated, limit))))
                .map(rows -> rows.rowCount() == 1));
    }

    /** The job, or a null item. */
    public Uni<ExportJob> findById(UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM fhir.export_job WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : job(rows.iterator().next()));
    }

    /** The job's files, in the order they were written. */
    public Uni<List<ExportFile>> listFiles(UUID id) {
        return pool.preparedQuery("SELECT seq, name, resource_type, kind, resources, bytes FROM fhir.export_file "
                + "WHERE job_id = $1 ORDER BY seq")
                .execute(Tuple.of(id))
                .map(rows -> {
                    List<ExportFile> files = new ArrayList<>();
                    rows.forEach(r -> files.add(new ExportFile(r.getInteger(0), r.getString(1), r.getString(2),
                            r.getString(3), r.getLong(4), r.getLong(5))));
                    return files;
                });
    }

    /**
     * Claims the oldest job that waits, or that runs under a lease that ran out (its worker stopped), for this
     * owner; a null item when there is none. Replicas never claim the same job ({@code SKIP LOCKED}), and a replica
     * never claims again a job it is still writing ({@code running}): on a loaded machine a job's lease may run out
     * before its first progress renews it (a cold start), and a second run of it beside the first would record its
     * files twice.
     */
    public Uni<ExportJob> claim(String owner, Duration lease, Collection<UUID> running) {
        return pool.preparedQuery("UPDATE fhir.export_job SET status = 'running', lease_owner = $1, "
                + "lease_until = clock_timestamp() + $2 * interval '1 millisecond', attempts = attempts + 1, written = 0 "
                + "WHERE id = (SELECT id FROM fhir.export_job WHERE (status = 'queued' OR (status = 'running' "
                + "AND lease_until < clock_timestamp() AND NOT (id = ANY($3)))) AND expires_at > clock_timestamp() "
                + "ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS)
                .execute(Tuple.of(owner, lease.toMillis(), running.toArray(UUID[]::new)))
                .map(rows -> rows.size() == 0 ? null : job(rows.iterator().next()));
    }

    /** Forgets the files a previous attempt recorded (it is redone from the start). */
    public Uni<Void> deleteFiles(UUID id) {
        return pool.preparedQuery("DELETE FROM fhir.export_file WHERE job_id = $1").execute(Tuple.of(id))
                .replaceWithVoid();
    }

    /** Records progress and extends the lease; false when the job is no longer this owner's to write. */
    public Uni<Boolean> progress(UUID id, String owner, long written, Duration lease) {
        return pool.preparedQuery("UPDATE fhir.export_job SET written = $3, "
                + "lease_until = clock_timestamp() + $4 * interval '1 millisecond' "
                + "WHERE id = $1 AND lease_owner = $2 AND status = 'running'")
                .execute(Tuple.of(id, owner, written, lease.toMillis()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Records a finished file; false when the job is no longer this owner's to write. */
    public Uni<Boolean> insertFile(UUID id, String owner, ExportFile file) {
        return pool.preparedQuery("INSERT INTO fhir.export_file (job_id, seq, name, resource_type, kind, resources, "
                + "bytes) SELECT $1, $3, $4, $5, $6, $7, $8 WHERE EXISTS (SELECT 1 FROM fhir.export_job "
                + "WHERE id = $1 AND lease_owner = $2 AND status = 'running')")
                .execute(Tuple.from(List.of(id, owner, file.seq(), file.name(), file.resourceType(), file.kind(),
                        file.resources(), file.bytes())))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Marks the job done; false when it was no longer this owner's. */
    public Uni<Boolean> complete(UUID id, String owner, long written) {
        return pool.preparedQuery("UPDATE fhir.export_job SET status = 'completed', written = $3, "
                + "finished_at = clock_timestamp(), lease_owner = NULL, lease_until = NULL "
                + "WHERE id = $1 AND lease_owner = $2 AND status = 'running'")
                .execute(Tuple.of(id, owner, written))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Marks the job failed, with a reason fit for its requester (never data). */
    public Uni<Boolean> fail(UUID id, String owner, String reason) {
        return pool.preparedQuery("UPDATE fhir.export_job SET status = 'failed', failure = $3, "
                + "finished_at = clock_timestamp(), lease_owner = NULL, lease_until = NULL "
                + "WHERE id = $1 AND lease_owner = $2 AND status = 'running'")
                .execute(Tuple.of(id, owner, reason))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Hands a job back at once (this replica stops): another worker may claim it without waiting for the lease. */
    public Uni<Void> release(UUID id, String owner) {
        return pool.preparedQuery("UPDATE fhir.export_job SET lease_until = clock_timestamp() - interval '1 second' "
                + "WHERE id = $1 AND lease_owner = $2 AND status = 'running'")
                .execute(Tuple.of(id, owner)).replaceWithVoid();
    }

    /** Deletes the job and its file records; false when there was none. */
    public Uni<Boolean> delete(UUID id) {
        return pool.preparedQuery("DELETE FROM fhir.export_job WHERE id = $1").execute(Tuple.of(id))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Deletes up to {@code limit} expired jobs (with their file records) and returns their ids. */
    public Uni<List<UUID>> deleteExpired(int limit) {
        return pool.preparedQuery("DELETE FROM fhir.export_job WHERE id IN (SELECT id FROM fhir.export_job "
                + "WHERE expires_at <= clock_timestamp() ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED) "
                + "RETURNING id")
                .execute(Tuple.of(limit))
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getUUID(0)));
                    return ids;
                });
    }

    /** Of these job ids, the ones still recorded (the others' folders are left-overs). */
    public Uni<List<UUID>> listExisting(List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery("SELECT id FROM fhir.export_job WHERE id = ANY($1)")
                .execute(Tuple.of(ids.toArray(UUID[]::new)))
                .map(rows -> {
                    List<UUID> found = new ArrayList<>();
                    rows.forEach(r -> found.add(r.getUUID(0)));
                    return found;
                });
    }

    private ExportJob job(Row row) {
        return new ExportJob(row.getUUID(0), row.getLong(1), row.getString(2), read(row.getString(3)),
                row.getString(4), row.getOffsetDateTime(5), row.getOffsetDateTime(6), row.getOffsetDateTime(7),
                row.getLong(8), row.getLong(9), row.getString(10));
    }

    private String write(ExportJobSpec spec) {
        try {
            return json.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ExportJobSpec read(String text) {
        try {
            return json.readValue(text, ExportJobSpec.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
