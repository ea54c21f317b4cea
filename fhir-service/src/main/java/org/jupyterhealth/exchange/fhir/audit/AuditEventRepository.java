package org.jupyterhealth.exchange.fhir.audit;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.fhir.search.DateRange;
import org.jupyterhealth.exchange.fhir.search.SqlBuilder;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Reads ingest-service's audit store ({@code ingest.audit_event}) through the read-only role
 * {@code jhe_audit_reader}: one statement per page, built from the filters given (each list an OR, the lists
 * ANDed), newest first, keyed by (time, event id) so that a page never shifts as events arrive.
 */
@ApplicationScoped
public class AuditEventRepository {

    /** A stored event: its time, id and canonical text (common AuditJson). */
    public record StoredEvent(OffsetDateTime recordedAt, UUID eventId, String event) {
    }

    private final Pool pool;

    public AuditEventRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<StoredEvent>> search(AuditEventSearch search, int limit) {
        SqlBuilder sql = new SqlBuilder()
                .append("SELECT recorded_at, event_id, event FROM ingest.audit_event WHERE TRUE");
        if (search.patients() != null) {
            // the GIN index on patient_ids: any of the patients
            sql.append(" AND patient_ids && " + sql.bind(search.patients().toArray(Long[]::new)) + "::bigint[]");
        }
        if (!search.agents().isEmpty()) {
            sql.append(" AND agent_user_id = ANY(" + sql.bind(search.agents().toArray(Long[]::new)) + "::bigint[])");
        }
        if (!search.actions().isEmpty()) {
            sql.append(" AND action = ANY(" + sql.bind(search.actions().toArray(String[]::new)) + "::text[])");
        }
        if (!search.outcomes().isEmpty()) {
            sql.append(" AND outcome = ANY(" + sql.bind(search.outcomes().toArray(String[]::new)) + "::text[])");
        }
        for (List<DateRange> anyOf : search.dates()) {
            List<String> conditions = new ArrayList<>();
            anyOf.forEach(range -> conditions.add(range.toSql("recorded_at", sql)));
            sql.append(" AND (" + String.join(" OR ", conditions) + ")");
        }
        for (List<AuditEventSearch.Entity> anyOf : search.entities()) {
            List<String> conditions = new ArrayList<>();
            for (AuditEventSearch.Entity entity : anyOf) {
                if (entity.patientId() != null) {
                    conditions.add("patient_ids && ARRAY[" + sql.bind(entity.patientId()) + "::bigint]");
                } else {
                    // named plainly under its type, or by reference in the event of an upload of several types
                    conditions.add("(resource_type = " + sql.bind(entity.type())
                            + " AND (event::jsonb -> 'resourceIds') ? " + sql.bind(entity.id())
                            + " OR resource_type = 'Bundle' AND (event::jsonb -> 'resourceIds') ? "
                            + sql.bind(entity.type() + "/" + entity.id()) + ")");
                }
            }
            sql.append(" AND (" + String.join(" OR ", conditions) + ")");
        }
        if (search.before() != null) {
            sql.append(" AND (recorded_at, event_id) < (" + sql.bind(search.before().recordedAt()) + "::timestamptz, "
                    + sql.bind(search.before().eventId()) + "::uuid)");
        }
        sql.append(" ORDER BY recorded_at DESC, event_id DESC LIMIT " + sql.bind(limit));
        return pool.preparedQuery(sql.sql()).execute(sql.tuple()).map(rows -> {
            List<StoredEvent> events = new ArrayList<>();
            for (Row row : rows) {
                events.add(new StoredEvent(row.getOffsetDateTime(0), row.getUUID(1), row.getString(2)));
            }
            return events;
        });
    }
}
