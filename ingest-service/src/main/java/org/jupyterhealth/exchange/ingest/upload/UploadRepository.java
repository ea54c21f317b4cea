package org.jupyterhealth.exchange.ingest.upload;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.ingest.upload.CheckedEntry.Identifier;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Set-based access to the observation store: one statement stores all observations of an upload with their
 * identifiers (arrays unnested server-side, no per-row round trips), global identifier uniqueness is kept by the
 * primary key of {@code observation_identifier}, and the processed upload is recorded under its id.
 */
@ApplicationScoped
public class UploadRepository {

    /** An observation to store. */
    public record NewObservation(long patientId, long codeId, String system, String code, Long dataSourceId,
            String status, String omhData, OffsetDateTime effectiveDateTime, OffsetDateTime periodStart,
            OffsetDateTime periodEnd, List<Identifier> identifiers) {
    }

    /** The processed upload as recorded. */
    public record UploadRecord(UUID uploadId, long uploaderUserId, String bundleType, int status, int entryCount,
            int storedCount, String resultJson, OffsetDateTime receivedAt) {
    }

    /** Another upload stored one of these identifiers after they were checked: the upload must be decided again. */
    public static final class IdentifierTakenException extends RuntimeException {
        IdentifierTakenException() {
            super("an identifier was stored concurrently", null, false, false);
        }
    }

    private static final String INSERT_OBSERVATIONS = """
            WITH src AS (
                SELECT nextval('ingest.observation_seq') AS id, t.*
                FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[],
                            $8::timestamptz[], $9::timestamptz[], $10::timestamptz[])
                     WITH ORDINALITY AS t(patient_id, code_id, coding_system, coding_code, data_source_id, status,
                                          omh_data, effective_date_time, period_start, period_end, ord)
            ), stored AS (
                INSERT INTO ingest.observation (id, subject_patient_id, codeable_concept_id, coding_system, coding_code,
                        data_source_id, status, omh_data, effective_date_time, effective_period_start,
                        effective_period_end, upload_id, uploaded_by_user_id)
                SELECT id, patient_id, code_id, coding_system, coding_code, data_source_id, status, omh_data::jsonb,
                       effective_date_time, period_start, period_end, $11, $12
                FROM src
                RETURNING id
            ), identified AS (
                INSERT INTO ingest.observation_identifier (observation_id, system, value)
                SELECT src.id, i.system, i.value
                FROM unnest($13::bigint[], $14::text[], $15::text[]) AS i(ord, system, value)
                JOIN src ON src.ord = i.ord
                ON CONFLICT DO NOTHING
                RETURNING 1
            )
            SELECT (SELECT array_agg(id ORDER BY ord) FROM src) AS ids,
                   (SELECT count(*) FROM stored) AS stored,
                   (SELECT count(*) FROM identified) AS identified
            """;

    private final Pool pool;

    public UploadRepository(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /** The recorded result (JSON) of an upload already processed, or a null item. */
    public Uni<String> findResult(UUID uploadId) {
        return pool.preparedQuery("SELECT result::text FROM ingest.upload WHERE upload_id = $1")
                .execute(Tuple.of(uploadId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
    }

    /**
     * Which of these identifiers the store already holds: one probe of the identifiers' primary key each. The probes
     * are written as a lateral sub-query that cannot be turned into a join ({@code OFFSET 0}), so that no statistics
     * (missing, or taken when the store was small) can make PostgreSQL hash the whole identifier table instead.
     */
    public Uni<Set<Identifier>> findStoredIdentifiers(Collection<Identifier> identifiers) {
        if (identifiers.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        String[] systems = identifiers.stream().map(Identifier::system).toArray(String[]::new);
        String[] values = identifiers.stream().map(Identifier::value).toArray(String[]::new);
        return pool.preparedQuery("""
                SELECT i.system, i.value FROM unnest($1::text[], $2::text[]) AS q(system, value)
                CROSS JOIN LATERAL (SELECT s.system, s.value FROM ingest.observation_identifier s
                                    WHERE s.system = q.system AND s.value = q.value OFFSET 0) i
                """)
                .execute(Tuple.tuple().addArrayOfString(systems).addArrayOfString(values))
                .map(rows -> {
                    Set<Identifier> found = new HashSet<>();
                    for (Row row : rows) {
                        found.add(new Identifier(row.getString(0), row.getString(1)));
                    }
                    return found;
                });
    }

    /**
     * Stores the observations and their identifiers in one statement, within the caller's transaction.
     *
     * @return the new observations' ids, in the order given
     * @throws IdentifierTakenException (as a failure) when an identifier was stored meanwhile
     */
    public Uni<List<Long>> insertObservations(SqlConnection tx, UUID uploadId, long uploaderUserId,
            List<NewObservation> observations) {
        if (observations.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        int n = observations.size();
        Long[] patients = new Long[n];
        Long[] codes = new Long[n];
        String[] systems = new String[n];
        String[] codings = new String[n];
        Long[] dataSources = new Long[n];
        String[] statuses = new String[n];
        String[] data = new String[n];
        OffsetDateTime[] dateTimes = new OffsetDateTime[n];
        OffsetDateTime[] starts = new OffsetDateTime[n];
        OffsetDateTime[] ends = new OffsetDateTime[n];
        List<Long> identifierOrds = new ArrayList<>();
        List<String> identifierSystems = new ArrayList<>();
        List<String> identifierValues = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            NewObservation o = observations.get(i);
            patients[i] = o.patientId();
            codes[i] = o.codeId();
            systems[i] = o.system();
            codings[i] = o.code();
            dataSources[i] = o.dataSourceId();
            statuses[i] = o.status();
            data[i] = o.omhData();
            dateTimes[i] = o.effectiveDateTime();
            starts[i] = o.periodStart();
            ends[i] = o.periodEnd();
            for (Identifier identifier : o.identifiers()) {
                identifierOrds.add((long) i + 1);
                identifierSystems.add(identifier.system());
                identifierValues.add(identifier.value());
            }
        }
        Tuple parameters = Tuple.tuple()
                .addArrayOfLong(patients).addArrayOfLong(codes).addArrayOfString(systems)
                .addArrayOfString(codings).addArrayOfLong(dataSources).addArrayOfString(statuses)
                .addArrayOfString(data).addArrayOfOffsetDateTime(dateTimes).addArrayOfOffsetDateTime(starts)
                .addArrayOfOffsetDateTime(ends).addUUID(uploadId).addLong(uploaderUserId)
                .addArrayOfLong(identifierOrds.toArray(Long[]::new))
                .addArrayOfString(identifierSystems.toArray(String[]::new))
                .addArrayOfString(identifierValues.toArray(String[]::new));
        int expectedIdentifiers = identifierOrds.size();
        return tx.preparedQuery(INSERT_OBSERVATIONS).execute(parameters).map(rows -> {
            Row row = rows.iterator().next();
            if (row.getLong("identified") != expectedIdentifiers) {
                throw new IdentifierTakenException();
            }
            Long[] ids = row.getArrayOfLongs("ids");
            return List.of(ids);
        });
    }

    /**
     * Records the processed upload within the caller's transaction.
     *
     * @return false when the upload had already been recorded (by a concurrent or earlier delivery)
     */
    public Uni<Boolean> insertUpload(SqlConnection tx, UploadRecord upload) {
        return tx.preparedQuery("""
                INSERT INTO ingest.upload (upload_id, uploader_user_id, bundle_type, status, entry_count, stored_count,
                                           result, received_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8)
                ON CONFLICT (upload_id) DO NOTHING
                """)
                .execute(Tuple.tuple().addUUID(upload.uploadId()).addLong(upload.uploaderUserId())
                        .addString(upload.bundleType()).addInteger(upload.status()).addInteger(upload.entryCount())
                        .addInteger(upload.storedCount()).addString(upload.resultJson())
                        .addOffsetDateTime(upload.receivedAt()))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The patient an observation belongs to, or a null item when there is no such observation. */
    public Uni<Long> findPatientOf(long observationId) {
        return pool.preparedQuery("SELECT subject_patient_id FROM ingest.observation WHERE id = $1")
                .execute(Tuple.of(observationId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong(0));
    }

    /**
     * Deletes one observation of the patient (its identifiers and its count go with it, by the store's triggers) and
     * records the deletion, within the caller's transaction.
     *
     * @return false when no such observation of that patient was left to delete
     */
    public Uni<Boolean> deleteObservation(SqlConnection tx, long observationId, long patientId, long deletedBy,
            UUID uploadId) {
        return tx.preparedQuery("""
                WITH gone AS (
                    DELETE FROM ingest.observation WHERE id = $1 AND subject_patient_id = $2
                    RETURNING id, subject_patient_id, coding_system, coding_code
                )
                INSERT INTO ingest.observation_deletion (observation_id, subject_patient_id, coding_system,
                                                         coding_code, deleted_by_user_id, upload_id)
                SELECT id, subject_patient_id, coding_system, coding_code, $3, $4 FROM gone
                """)
                .execute(Tuple.of(observationId, patientId, deletedBy, uploadId))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Deletes every observation of a patient (their identifiers go with them). */
    public Uni<Integer> deleteObservationsOfPatient(long patientId) {
        return pool.preparedQuery("DELETE FROM ingest.observation WHERE subject_patient_id = $1")
                .execute(Tuple.of(patientId))
                .map(rows -> rows.rowCount());
    }

    /** Forgets uploads processed before the given time (they can no longer be redelivered). */
    public Uni<Integer> deleteUploadsProcessedBefore(OffsetDateTime time) {
        return pool.preparedQuery("DELETE FROM ingest.upload WHERE processed_at < $1")
                .execute(Tuple.of(time))
                .map(rows -> rows.rowCount());
    }
}
