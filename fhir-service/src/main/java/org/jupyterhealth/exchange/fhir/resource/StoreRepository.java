package org.jupyterhealth.exchange.fhir.resource;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.fhir.search.ChunkedRead;
import org.jupyterhealth.exchange.fhir.search.SqlBuilder;
import org.jupyterhealth.exchange.fhir.search.TokenValue;

import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads ingest-service's FHIR resource store (schema {@code ingest}, through the read-only role). Searches are
 * index-driven: a type and the patients the caller may read select rows of the (type, patient, time) indexes, and
 * token conditions probe the token table by (type, name, value).
 */
@ApplicationScoped
public class StoreRepository {
    static final String COLUMNS = "r.id, r.resource_type, r.patient_id, r.fhir_source_id, r.version_id, "
            + "r.last_updated, r.clinical_date, r.resource";

    private final Pool pool;
    /** Bulk reads' own connections ({@code quarkus.datasource."export"}), never the interactive pool's. */
    private final Pool exportPool;

    public StoreRepository(Pool pool, @ReactiveDataSource("export") Pool exportPool) {
        this.pool = pool;
        this.exportPool = exportPool;
    }

    /** The stored resource of this type and id, or a null item. */
    public Uni<StoredResource> findById(String type, UUID id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM ingest.fhir_resource r "
                + "WHERE r.id = $1 AND r.resource_type = $2")
                .execute(Tuple.of(id, type))
                .map(rows -> rows.size() == 0 ? null : row(rows.iterator().next()));
    }

    /** The stored resources of these ids (any type), in no particular order. */
    public Uni<List<StoredResource>> findByIds(List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM ingest.fhir_resource r WHERE r.id = ANY($1)")
                .execute(Tuple.of(ids.toArray(UUID[]::new)))
                .map(StoreRepository::rows);
    }

    /** The rows of a search statement built by {@link StoreSearch}. */
    public Uni<List<StoredResource>> find(SqlBuilder sql) {
        return pool.preparedQuery(sql.sql()).execute(sql.tuple()).map(StoreRepository::rows);
    }

    /** A page and its total, read by {@link StoreSearch#pageAndCount}. */
    public record Counted(Long total, List<StoredResource> rows) {
    }

    /** The rows and the total of a statement built by {@link StoreSearch#pageAndCount} (an empty page: one row). */
    public Uni<Counted> findAndCount(SqlBuilder sql) {
        return pool.preparedQuery(sql.sql()).execute(sql.tuple()).map(rows -> {
            List<StoredResource> found = new ArrayList<>();
            long total = 0;
            for (Row row : rows) {
                total = row.getLong(8);
                if (row.getUUID(0) != null) {
                    found.add(row(row));
                }
            }
            return new Counted(total, found);
        });
    }

    public Uni<Long> count(SqlBuilder sql) {
        return pool.preparedQuery(sql.sql()).execute(sql.tuple()).map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * Every stored resource of the type of these patients last updated within {@code (since, until)} and at or
     * before the snapshot (with any of the codes, when given), handed to the sink a chunk at a time from one cursor
     * (bulk export).
     */
    public Uni<Long> stream(String type, Long[] patients, OffsetDateTime since, OffsetDateTime until,
            List<TokenValue> codes, OffsetDateTime snapshot, ChunkedRead.Fetch fetch,
            Function<List<StoredResource>, Uni<Void>> sink) {
        if (patients.length == 0) {
            return Uni.createFrom().item(0L);
        }
        SqlBuilder sql = new SqlBuilder();
        sql.append("SELECT " + COLUMNS + " FROM unnest(" + sql.bind(patients) + "::bigint[]) AS p(pid) "
                + "CROSS JOIN LATERAL (SELECT * FROM ingest.fhir_resource r WHERE r.patient_id = p.pid "
                + "AND r.resource_type = " + sql.bind(type) + " AND r.last_updated <= " + sql.bind(snapshot));
        if (since != null) {
            sql.append(" AND r.last_updated > " + sql.bind(since));
        }
        if (until != null) {
            sql.append(" AND r.last_updated < " + sql.bind(until));
        }
        if (codes != null) {
            // any of the codes, as a search's code parameter matches them
            List<String> any = new ArrayList<>();
            for (TokenValue code : codes) {
                String value = code.code().isEmpty() ? "TRUE" : "t.value = " + sql.bind(code.code());
                any.add(code.system() == null ? value : "(" + value + " AND t.system = " + sql.bind(code.system()) + ")");
            }
            sql.append(" AND EXISTS (SELECT 1 FROM ingest.fhir_resource_token t WHERE t.resource_id = r.id "
                    + "AND t.name = 'code' AND (" + (any.isEmpty() ? "FALSE" : String.join(" OR ", any)) + "))");
        }
        sql.append(") r");
        return ChunkedRead.read(exportPool, sql, fetch, StoreRepository::rows, sink);
    }

    private static List<StoredResource> rows(Iterable<Row> rows) {
        List<StoredResource> found = new ArrayList<>();
        rows.forEach(row -> found.add(row(row)));
        return found;
    }

    private static StoredResource row(Row row) {
        return new StoredResource(row.getUUID(0), row.getString(1), row.getLong(2), row.getLong(3), row.getLong(4),
                row.getOffsetDateTime(5), row.getOffsetDateTime(6), row.getString(7));
    }
}
