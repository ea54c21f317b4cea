package org.jupyterhealth.exchange.ingest.audit;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.data.Interval;

/**
 * The audit store ({@code ingest.audit_event}, partitioned by month; docs/architecture.md#audit-trail): a batch of
 * events is stored by one statement, which also moves each Kafka partition's chain head.
 */
@ApplicationScoped
public class AuditRepository {

    /** An event to store, its hash already chained. */
    public record ChainedEvent(int partition, long offset, OffsetDateTime recordedAt, UUID eventId, String action,
            String outcome, Long agentUserId, String resourceType, List<Long> patientIds, String event,
            byte[] prevHash, byte[] hash) {
    }

    /** The last stored event of a Kafka partition. */
    public record Head(long offset, byte[] hash) {
    }

    private static final String INSERT = """
            WITH src AS (
                SELECT * FROM unnest($1::int[], $2::bigint[], $3::timestamptz[], $4::uuid[], $5::text[], $6::text[],
                                     $7::bigint[], $8::text[], $9::text[], $10::text[], $11::bytea[], $12::bytea[])
                     AS t(kafka_partition, kafka_offset, recorded_at, event_id, action, outcome, agent_user_id,
                          resource_type, patient_ids, event, prev_hash, hash)
            ), stored AS (
                INSERT INTO ingest.audit_event (recorded_at, kafka_partition, kafka_offset, event_id, action, outcome,
                        agent_user_id, resource_type, patient_ids, event, prev_hash, hash)
                SELECT recorded_at, kafka_partition, kafka_offset, event_id, action, outcome, agent_user_id,
                       resource_type, patient_ids::bigint[], event, prev_hash, hash
                FROM src
                ON CONFLICT DO NOTHING
                RETURNING 1
            ), head AS (
                INSERT INTO ingest.audit_chain_head AS h (kafka_partition, kafka_offset, hash)
                SELECT DISTINCT ON (kafka_partition) kafka_partition, kafka_offset, hash
                FROM src ORDER BY kafka_partition, kafka_offset DESC
                ON CONFLICT (kafka_partition) DO UPDATE SET kafka_offset = EXCLUDED.kafka_offset, hash = EXCLUDED.hash
                    WHERE h.kafka_offset < EXCLUDED.kafka_offset
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM stored) AS stored
            """;

    private final Pool pool;

    public AuditRepository(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /** The chain heads of these Kafka partitions, locked until the transaction ends; absent = nothing stored yet. */
    public Uni<Map<Integer, Head>> lockHeads(SqlClient tx, List<Integer> partitions) {
        return tx.preparedQuery("SELECT kafka_partition, kafka_offset, hash FROM ingest.audit_chain_head "
                + "WHERE kafka_partition = ANY($1) FOR UPDATE")
                .execute(Tuple.of(partitions.toArray(Integer[]::new)))
                .map(rows -> {
                    Map<Integer, Head> heads = new HashMap<>();
                    for (Row row : rows) {
                        heads.put(row.getInteger(0), new Head(row.getLong(1), row.getBuffer(2).getBytes()));
                    }
                    return heads;
                });
    }

    /** Stores the events and moves the chain heads, in one statement; the number of rows stored. */
    public Uni<Integer> store(SqlClient tx, List<ChainedEvent> events) {
        int n = events.size();
        Integer[] partitions = new Integer[n];
        Long[] offsets = new Long[n];
        OffsetDateTime[] recorded = new OffsetDateTime[n];
        UUID[] ids = new UUID[n];
        String[] actions = new String[n];
        String[] outcomes = new String[n];
        Long[] agents = new Long[n];
        String[] types = new String[n];
        String[] patients = new String[n];
        String[] bodies = new String[n];
        List<Buffer> prev = new ArrayList<>(n);
        List<Buffer> hashes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ChainedEvent e = events.get(i);
            partitions[i] = e.partition();
            offsets[i] = e.offset();
            recorded[i] = e.recordedAt();
            ids[i] = e.eventId();
            actions[i] = e.action();
            outcomes[i] = e.outcome();
            agents[i] = e.agentUserId();
            types[i] = e.resourceType();
            // an array literal per row: unnest cannot take an array of arrays of different lengths
            patients[i] = e.patientIds().stream().map(String::valueOf)
                    .reduce((a, b) -> a + "," + b).map(s -> "{" + s + "}").orElse("{}");
            bodies[i] = e.event();
            prev.add(Buffer.buffer(e.prevHash()));
            hashes.add(Buffer.buffer(e.hash()));
        }
        Tuple params = Tuple.tuple(List.<Object>of(partitions, offsets, recorded, ids, actions, outcomes, agents, types,
                patients, bodies, prev.toArray(Buffer[]::new), hashes.toArray(Buffer[]::new)));
        return tx.preparedQuery(INSERT).execute(params).map(rows -> rows.iterator().next().getInteger("stored"));
    }

    /**
     * Creates the partitions of this month and the next {@code monthsAhead}, and drops those entirely older than
     * {@code keep} (their last hashes kept as the chain's anchors); the number dropped.
     */
    public Uni<Integer> maintainPartitions(int monthsAhead, Duration keep) {
        Interval interval = Interval.of(0, 0, (int) keep.toDays());
        return pool.preparedQuery("SELECT ingest.audit_event_partitions($1, $2)")
                .execute(Tuple.of(monthsAhead, interval))
                .map(rows -> rows.iterator().next().getInteger(0));
    }
}
