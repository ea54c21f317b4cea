package org.jupyterhealth.exchange.ingest.resource;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.ingest.resource.CheckedResource.Operation;
import org.jupyterhealth.exchange.ingest.resource.SearchValues.Token;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Set-based access to the FHIR resource store: an upload's creates (upserts on the source's own id), updates and
 * deletes are one statement each, and their search tokens are replaced in two more; updates and deletes apply only
 * to the version they were decided on, so that a concurrent write makes the upload be decided again rather than
 * overwrite it.
 */
@ApplicationScoped
public class ResourceRepository {

    /** A stored resource as the decisions need it. */
    public record Current(String id, String type, long patientId, long sourceId, long versionId) {
    }

    /** One accepted write; {@code id} is the new id of a create (kept unless it updates by its upstream id). */
    public record Write(int index, Operation operation, UUID id, String type, long patientId, long sourceId,
            String upstreamId, Long expectedVersion, String json, OffsetDateTime clinicalDate, String status,
            List<Token> tokens) {
    }

    /** What a write did: the resource's id and version, and whether it was created. */
    public record Written(String type, UUID id, long versionId, boolean created) {
    }

    /** A resource to update or delete changed after it was decided on: the upload must be decided again. */
    public static final class ResourceChangedException extends RuntimeException {
        ResourceChangedException() {
            super("a stored resource changed concurrently", null, false, false);
        }
    }

    private final Pool pool;

    public ResourceRepository(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /** The stored resources of these ids (unknown ids are absent). */
    public Uni<Map<String, Current>> findCurrent(List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        UUID[] uuids = ids.stream().map(UUID::fromString).toArray(UUID[]::new);
        return pool.preparedQuery("""
                SELECT id, resource_type, patient_id, fhir_source_id, version_id FROM ingest.fhir_resource
                WHERE id = ANY($1)
                """)
                .execute(Tuple.of(uuids))
                .map(rows -> {
                    Map<String, Current> found = new HashMap<>();
                    for (Row row : rows) {
                        String id = row.getUUID(0).toString();
                        found.put(id, new Current(id, row.getString(1), row.getLong(2), row.getLong(3),
                                row.getLong(4)));
                    }
                    return found;
                });
    }

    /**
     * Applies the writes within the caller's transaction.
     *
     * @return what each write did, by entry index
     * @throws ResourceChangedException (as a failure) when an update or delete found another version
     */
    public Uni<Map<Integer, Written>> write(SqlConnection tx, UUID uploadId, long userId, List<Write> writes) {
        List<Write> creates = writes.stream().filter(w -> w.operation() == Operation.CREATE).toList();
        List<Write> updates = writes.stream().filter(w -> w.operation() == Operation.UPDATE).toList();
        List<Write> deletes = writes.stream().filter(w -> w.operation() == Operation.DELETE).toList();
        Map<Integer, Written> written = new HashMap<>();
        return create(tx, uploadId, userId, creates, written)
                .chain(() -> update(tx, uploadId, userId, updates, written))
                .chain(() -> delete(tx, uploadId, userId, deletes, written))
                .chain(() -> replaceTokens(tx, writes, written))
                .map(x -> written);
    }

    private Uni<Void> create(SqlConnection tx, UUID uploadId, long userId, List<Write> creates,
            Map<Integer, Written> written) {
        if (creates.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Columns c = new Columns(creates);
        return tx.preparedQuery("""
                INSERT INTO ingest.fhir_resource AS r (id, resource_type, patient_id, fhir_source_id, upstream_id,
                        version_id, clinical_date, status, resource, upload_id, written_by_user_id)
                SELECT id, resource_type, patient_id, fhir_source_id, upstream_id, 1, clinical_date, status, resource,
                       $10, $11
                FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::timestamptz[],
                            $7::text[], $8::text[], $9::int[])
                     AS t(id, resource_type, patient_id, fhir_source_id, upstream_id, clinical_date, status, resource,
                          ord)
                ORDER BY ord
                ON CONFLICT (fhir_source_id, resource_type, upstream_id) WHERE upstream_id IS NOT NULL
                DO UPDATE SET patient_id = EXCLUDED.patient_id, version_id = r.version_id + 1,
                              last_updated = clock_timestamp(), clinical_date = EXCLUDED.clinical_date,
                              status = EXCLUDED.status, resource = EXCLUDED.resource,
                              upload_id = EXCLUDED.upload_id, written_by_user_id = EXCLUDED.written_by_user_id,
                              ref_indexed = false
                RETURNING id, fhir_source_id, resource_type, upstream_id, version_id, (xmax = 0) AS inserted
                """)
                .execute(c.tuple().addUUID(uploadId).addLong(userId))
                .invoke(rows -> {
                    Map<String, Row> byUpstream = new HashMap<>();
                    Map<UUID, Row> byId = new HashMap<>();
                    for (Row row : rows) {
                        byId.put(row.getUUID("id"), row);
                        if (row.getString("upstream_id") != null) {
                            byUpstream.put(row.getLong("fhir_source_id") + "|" + row.getString("resource_type") + "|"
                                    + row.getString("upstream_id"), row);
                        }
                    }
                    for (Write w : creates) {
                        Row row = w.upstreamId() != null
                                ? byUpstream.get(w.sourceId() + "|" + w.type() + "|" + w.upstreamId())
                                : byId.get(w.id());
                        written.put(w.index(), new Written(w.type(), row.getUUID("id"), row.getLong("version_id"),
                                row.getBoolean("inserted")));
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Void> update(SqlConnection tx, UUID uploadId, long userId, List<Write> updates,
            Map<Integer, Written> written) {
        if (updates.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Columns c = new Columns(updates);
        return tx.preparedQuery("""
                UPDATE ingest.fhir_resource r
                SET version_id = r.version_id + 1, last_updated = clock_timestamp(), clinical_date = u.clinical_date,
                    status = u.status, resource = u.resource, upload_id = $11, written_by_user_id = $12,
                    ref_indexed = false
                FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::timestamptz[],
                            $7::text[], $8::text[], $9::int[], $10::bigint[])
                     AS u(id, resource_type, patient_id, fhir_source_id, upstream_id, clinical_date, status, resource,
                          ord, expected)
                WHERE r.id = u.id AND r.version_id = u.expected
                RETURNING r.id, r.version_id
                """)
                .execute(c.tuple().addArrayOfLong(c.expected).addUUID(uploadId).addLong(userId))
                .invoke(rows -> {
                    if (rows.rowCount() != updates.size()) {
                        throw new ResourceChangedException();
                    }
                    Map<UUID, Long> versions = new HashMap<>();
                    rows.forEach(row -> versions.put(row.getUUID(0), row.getLong(1)));
                    for (Write w : updates) {
                        written.put(w.index(), new Written(w.type(), w.id(), versions.get(w.id()), false));
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Void> delete(SqlConnection tx, UUID uploadId, long userId, List<Write> deletes,
            Map<Integer, Written> written) {
        if (deletes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        UUID[] ids = deletes.stream().map(Write::id).toArray(UUID[]::new);
        Long[] expected = deletes.stream().map(Write::expectedVersion).toArray(Long[]::new);
        return tx.preparedQuery("""
                WITH gone AS (
                    DELETE FROM ingest.fhir_resource r USING unnest($1::uuid[], $2::bigint[]) AS d(id, expected)
                    WHERE r.id = d.id AND r.version_id = d.expected
                    RETURNING r.id, r.version_id, r.resource_type, r.patient_id, r.fhir_source_id
                )
                INSERT INTO ingest.fhir_resource_deletion (resource_id, version_id, resource_type, patient_id,
                        fhir_source_id, deleted_by_user_id, upload_id)
                SELECT id, version_id, resource_type, patient_id, fhir_source_id, $3, $4 FROM gone
                """)
                .execute(Tuple.tuple().addArrayOfUUID(ids).addArrayOfLong(expected).addLong(userId).addUUID(uploadId))
                .invoke(rows -> {
                    if (rows.rowCount() != deletes.size()) {
                        throw new ResourceChangedException();
                    }
                    for (Write w : deletes) {
                        written.put(w.index(), new Written(w.type(), w.id(), w.expectedVersion(), false));
                    }
                })
                .replaceWithVoid();
    }

    /** The search tokens of every written resource replaced by its new ones (none for a deleted one). */
    private Uni<Void> replaceTokens(SqlConnection tx, List<Write> writes, Map<Integer, Written> written) {
        if (writes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<UUID> replaced = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        List<String> types = new ArrayList<>();
        List<Long> patients = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> systems = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Write w : writes) {
            Written done = written.get(w.index());
            // a new resource has no tokens yet
            if (!done.created()) {
                replaced.add(done.id());
            }
            if (w.operation() == Operation.DELETE) {
                continue;
            }
            for (Token token : w.tokens()) {
                ids.add(done.id());
                types.add(w.type());
                patients.add(w.patientId());
                names.add(token.name());
                systems.add(token.system());
                values.add(token.value());
            }
        }
        Uni<Void> removed = replaced.isEmpty() ? Uni.createFrom().voidItem()
                : tx.preparedQuery("DELETE FROM ingest.fhir_resource_token WHERE resource_id = ANY($1)")
                        .execute(Tuple.of(replaced.toArray(UUID[]::new))).replaceWithVoid();
        if (ids.isEmpty()) {
            return removed;
        }
        return removed.chain(() -> tx.preparedQuery("""
                INSERT INTO ingest.fhir_resource_token (resource_id, resource_type, patient_id, name, system, value)
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[])
                """)
                .execute(Tuple.tuple().addArrayOfUUID(ids.toArray(UUID[]::new))
                        .addArrayOfString(types.toArray(String[]::new)).addArrayOfLong(patients.toArray(Long[]::new))
                        .addArrayOfString(names.toArray(String[]::new)).addArrayOfString(systems.toArray(String[]::new))
                        .addArrayOfString(values.toArray(String[]::new)))
                .replaceWithVoid());
    }

    /** A resource of a source still to be reference-indexed. */
    public record Unindexed(UUID id, String json) {
    }

    /**
     * Up to {@code limit} resources of the source not reference-indexed yet, locked until the transaction ends, so
     * that a write of one of them waits for the indexing (and then needs it again).
     */
    public Uni<List<Unindexed>> lockUnindexed(SqlConnection tx, long sourceId, int limit) {
        return tx.preparedQuery("""
                SELECT id, resource FROM ingest.fhir_resource WHERE fhir_source_id = $1 AND NOT ref_indexed
                ORDER BY id LIMIT $2 FOR UPDATE
                """)
                .execute(Tuple.of(sourceId, limit))
                .map(rows -> {
                    List<Unindexed> found = new ArrayList<>();
                    rows.forEach(row -> found.add(new Unindexed(row.getUUID(0), row.getString(1))));
                    return found;
                });
    }

    /**
     * The source's resources of these (type, source id) pairs: the store's id of each, by {@code type/upstreamId}
     * (absent when the source wrote no such resource).
     */
    public Uni<Map<String, UUID>> findByUpstream(SqlConnection tx, long sourceId, List<String> types,
            List<String> upstreamIds) {
        if (types.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return tx.preparedQuery("""
                SELECT r.resource_type, r.upstream_id, r.id FROM ingest.fhir_resource r
                JOIN unnest($2::text[], $3::text[]) AS k(resource_type, upstream_id)
                  ON r.resource_type = k.resource_type AND r.upstream_id = k.upstream_id
                WHERE r.fhir_source_id = $1
                """)
                .execute(Tuple.of(sourceId, types.toArray(String[]::new), upstreamIds.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, UUID> found = new HashMap<>();
                    rows.forEach(row -> found.put(row.getString(0) + "/" + row.getString(1), row.getUUID(2)));
                    return found;
                });
    }

    /**
     * Marks the resources reference-indexed; those whose references were rewritten ({@code rewritten}, by id) are
     * stored as rewritten, a new version each.
     */
    public Uni<Void> markIndexed(SqlConnection tx, List<UUID> ids, Map<UUID, String> rewritten, UUID uploadId,
            long userId) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        UUID[] changed = rewritten.keySet().toArray(UUID[]::new);
        String[] resources = new String[changed.length];
        for (int i = 0; i < changed.length; i++) {
            resources[i] = rewritten.get(changed[i]);
        }
        Uni<Void> written = changed.length == 0 ? Uni.createFrom().voidItem() : tx.preparedQuery("""
                UPDATE ingest.fhir_resource r
                SET version_id = r.version_id + 1, last_updated = clock_timestamp(), resource = u.resource,
                    upload_id = $3, written_by_user_id = $4
                FROM unnest($1::uuid[], $2::text[]) AS u(id, resource)
                WHERE r.id = u.id
                """)
                .execute(Tuple.tuple().addArrayOfUUID(changed).addArrayOfString(resources).addUUID(uploadId)
                        .addLong(userId))
                .replaceWithVoid();
        return written.chain(() -> tx.preparedQuery(
                "UPDATE ingest.fhir_resource SET ref_indexed = true WHERE id = ANY($1)")
                .execute(Tuple.of(ids.toArray(UUID[]::new))).replaceWithVoid());
    }

    /** Deletes every stored resource written through a FHIR source (and their tokens): how many. */
    public Uni<Integer> deleteResourcesOfSource(long sourceId) {
        return pool.preparedQuery("""
                WITH gone AS (DELETE FROM ingest.fhir_resource WHERE fhir_source_id = $1 RETURNING id),
                     tokens AS (DELETE FROM ingest.fhir_resource_token t USING gone WHERE t.resource_id = gone.id)
                SELECT count(*) FROM gone
                """)
                .execute(Tuple.of(sourceId))
                .map(rows -> (int) rows.iterator().next().getLong(0).longValue());
    }

    /** Deletes every stored resource of a patient (and their tokens). */
    public Uni<Integer> deleteResourcesOfPatient(long patientId) {
        return pool.preparedQuery("""
                WITH tokens AS (DELETE FROM ingest.fhir_resource_token WHERE patient_id = $1)
                DELETE FROM ingest.fhir_resource WHERE patient_id = $1
                """)
                .execute(Tuple.of(patientId))
                .map(rows -> rows.rowCount());
    }

    /** The writes as the parallel arrays of the insert and update statements ($1..$9). */
    private static final class Columns {
        final UUID[] ids;
        final String[] types;
        final Long[] patients;
        final Long[] sources;
        final String[] upstream;
        final OffsetDateTime[] dates;
        final String[] statuses;
        final String[] resources;
        final Integer[] ords;
        final Long[] expected;

        Columns(List<Write> writes) {
            int n = writes.size();
            ids = new UUID[n];
            types = new String[n];
            patients = new Long[n];
            sources = new Long[n];
            upstream = new String[n];
            dates = new OffsetDateTime[n];
            statuses = new String[n];
            resources = new String[n];
            ords = new Integer[n];
            expected = new Long[n];
            for (int i = 0; i < n; i++) {
                Write w = writes.get(i);
                ids[i] = w.id();
                types[i] = w.type();
                patients[i] = w.patientId();
                sources[i] = w.sourceId();
                upstream[i] = w.upstreamId();
                dates[i] = w.clinicalDate();
                statuses[i] = w.status();
                resources[i] = w.json();
                ords[i] = i;
                expected[i] = w.expectedVersion();
            }
        }

        Tuple tuple() {
            return Tuple.tuple().addArrayOfUUID(ids).addArrayOfString(types).addArrayOfLong(patients)
                    .addArrayOfLong(sources).addArrayOfString(upstream).addArrayOfOffsetDateTime(dates)
                    .addArrayOfString(statuses).addArrayOfString(resources).addArrayOfInteger(ords);
        }
    }
}
