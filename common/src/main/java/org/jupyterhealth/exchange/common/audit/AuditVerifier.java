package org.jupyterhealth.exchange.common.audit;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Recomputes the audit store's hash chains ({@link AuditChain}) over a JDBC connection, partition by partition in
 * offset order, and reports the first event that breaks them: a hash that does not match the event, a previous hash
 * that is not the hash of the event stored before it, a searchable column that disagrees with the event, or a
 * chain that does not end at its recorded head (events removed from the end). The first kept event of a partition
 * must follow {@link AuditChain#GENESIS} or the anchor that retention left when it dropped older months.
 * {@code ./jhe audit verify} runs it; the store's own tests too.
 */
public final class AuditVerifier {

    /** What the check found: every event checked and none broken, or the first broken one. */
    public record Result(long events, String broken) {
        public boolean ok() {
            return broken == null;
        }
    }

    private record Link(long offset, byte[] hash) {
    }

    private AuditVerifier() {
    }

    /** Checks the chains of the store in {@code schema} (the ingest-service's schema). */
    public static Result verify(Connection connection, String schema) throws SQLException {
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("Not a plain schema name: " + schema);
        }
        Map<Integer, Link> anchors = links(connection, "SELECT kafka_partition, kafka_offset, hash FROM " + schema
                + ".audit_chain_anchor");
        Map<Integer, Link> heads = links(connection, "SELECT kafka_partition, kafka_offset, hash FROM " + schema
                + ".audit_chain_head");
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false); // a cursor: the store is read in portions, not held in memory at once
        long events = 0;
        try (PreparedStatement query = connection.prepareStatement("SELECT kafka_partition, kafka_offset, "
                + "recorded_at, event_id, action, outcome, agent_user_id, resource_type, patient_ids, event, "
                + "prev_hash, hash FROM " + schema + ".audit_event ORDER BY kafka_partition, kafka_offset")) {
            query.setFetchSize(1000);
            try (ResultSet rows = query.executeQuery()) {
                Integer partition = null;
                byte[] previous = null;
                long lastOffset = -1;
                TreeSet<Integer> seen = new TreeSet<>();
                while (rows.next()) {
                    int p = rows.getInt(1);
                    long offset = rows.getLong(2);
                    String where = "partition " + p + ", offset " + offset;
                    if (partition == null || partition != p) {
                        if (partition != null) {
                            String end = end(partition, lastOffset, previous, heads);
                            if (end != null) {
                                return new Result(events, end);
                            }
                        }
                        partition = p;
                        seen.add(p);
                        Link anchor = anchors.get(p);
                        previous = anchor == null ? AuditChain.GENESIS : anchor.hash();
                    }
                    String problem = check(rows, previous);
                    if (problem != null) {
                        return new Result(events, where + ": " + problem);
                    }
                    previous = rows.getBytes(12);
                    lastOffset = offset;
                    events++;
                }
                if (partition != null) {
                    String end = end(partition, lastOffset, previous, heads);
                    if (end != null) {
                        return new Result(events, end);
                    }
                }
                for (int p : new TreeSet<>(heads.keySet())) {
                    if (!seen.contains(p)) {
                        return new Result(events, "partition " + p + ": its events up to offset "
                                + heads.get(p).offset() + " are missing");
                    }
                }
            }
        } finally {
            connection.rollback();
            connection.setAutoCommit(autoCommit);
        }
        return new Result(events, null);
    }

    private static String check(ResultSet row, byte[] previous) throws SQLException {
        String text = row.getString(10);
        if (!Arrays.equals(row.getBytes(11), previous)) {
            return "its previous hash is not the hash of the event before it (an event before it was removed or"
                    + " altered)";
        }
        if (!Arrays.equals(AuditChain.hash(previous, text), row.getBytes(12))) {
            return "its hash does not match its content (the event was altered)";
        }
        AuditEvent event;
        try {
            event = AuditJson.read(text);
        } catch (IllegalArgumentException e) {
            return "its event is not readable: " + e.getMessage();
        }
        Timestamp recorded = row.getTimestamp(3);
        Array patients = row.getArray(9);
        List<Long> patientIds = new ArrayList<>();
        for (Object id : (Object[]) patients.getArray()) {
            patientIds.add(((Number) id).longValue());
        }
        Long agent = row.getObject(7) == null ? null : row.getLong(7);
        if (recorded.toInstant().toEpochMilli() != event.recorded().toEpochMilli()
                || !event.id().toString().equals(row.getString(4)) || !event.action().equals(row.getString(5))
                || !event.outcome().equals(row.getString(6)) || !Objects.equals(event.userId(), agent)
                || !Objects.equals(event.resourceType(), row.getString(8))
                || !event.patientIds().equals(patientIds)) {
            return "event " + event.id() + ": a searchable column does not match the event (the row was altered)";
        }
        return null;
    }

    private static String end(int partition, long lastOffset, byte[] last, Map<Integer, Link> heads) {
        Link head = heads.get(partition);
        if (head == null || head.offset() != lastOffset || !Arrays.equals(head.hash(), last)) {
            return "partition " + partition + ": the chain ends at offset " + lastOffset + ", not at its recorded head"
                    + (head == null ? "" : " (offset " + head.offset() + "): events after it were removed");
        }
        return null;
    }

    private static Map<Integer, Link> links(Connection connection, String sql) throws SQLException {
        Map<Integer, Link> links = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement(sql); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                links.put(rows.getInt(1), new Link(rows.getLong(2), rows.getBytes(3)));
            }
        }
        return links;
    }
}
