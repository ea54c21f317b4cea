package org.jupyterhealth.exchange.admin.datasource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.db.Db;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Data sources, the data types (CodeableConcepts) and which data types each data source supports. */
@ApplicationScoped
public class DataSourceRepository {
    private final Db db;

    public DataSourceRepository(Db db) {
        this.db = db;
    }

    private static DataSourceResponse map(Row row) {
        return new DataSourceResponse(row.getLong(0), row.getString(1), row.getString(2), List.of());
    }

    public Uni<Long> count() {
        return db.count("SELECT count(*) FROM data_source");
    }

    /** A page of data sources by name, without their data types. */
    public Uni<List<DataSourceResponse>> list(long offset, int limit) {
        return db.list("SELECT id, name, type FROM data_source ORDER BY name, id OFFSET $1 LIMIT $2",
                DataSourceRepository::map, offset, limit);
    }

    /** The data source without its data types, or null. */
    public Uni<DataSourceResponse> findById(long id) {
        return db.one("SELECT id, name, type FROM data_source WHERE id = $1", DataSourceRepository::map, id);
    }

    /** The data types each of these data sources supports, by text. */
    public Uni<Map<Long, List<CodeResponse>>> listScopesByDataSources(List<Long> ids) {
        return db.list("SELECT ss.data_source_id, " + CodeResponse.COLUMNS + " FROM data_source_supported_scope ss "
                + "JOIN codeable_concept c ON c.id = ss.scope_code_id WHERE ss.data_source_id = ANY($1) "
                + "ORDER BY c.text, c.id", row -> row, (Object) Db.ids(ids)).map(rows -> {
                    Map<Long, List<CodeResponse>> out = new HashMap<>();
                    rows.forEach(r -> out.computeIfAbsent(r.getLong("data_source_id"), k -> new ArrayList<>())
                            .add(CodeResponse.from(r)));
                    return out;
                });
    }

    /** Every data type, by text. */
    public Uni<List<CodeResponse>> listCodes() {
        return db.list("SELECT " + CodeResponse.COLUMNS + " FROM codeable_concept c ORDER BY c.text, c.id",
                CodeResponse::from);
    }

    public Uni<Boolean> codeExists(long codeId) {
        return db.one("SELECT EXISTS (SELECT 1 FROM codeable_concept WHERE id = $1)", r -> r.getBoolean(0), codeId);
    }

    /** The data source's links to the data types it supports, in the order they were made. */
    public Uni<List<SupportedScopeResponse>> listSupportedScopes(DataSourceResponse source) {
        SupportedScopeResponse.DataSourceRef ref = new SupportedScopeResponse.DataSourceRef(source.id(),
                source.name() == null ? "" : source.name(), source.type());
        return db.list("SELECT ss.id AS link_id, " + CodeResponse.COLUMNS + " FROM data_source_supported_scope ss "
                + "JOIN codeable_concept c ON c.id = ss.scope_code_id WHERE ss.data_source_id = $1 ORDER BY ss.id",
                row -> new SupportedScopeResponse(row.getLong("link_id"), ref, CodeResponse.from(row)), source.id());
    }

    public Uni<Long> insert(SqlClient tx, String name, String type) {
        return Db.one(tx, "INSERT INTO data_source (name, type) VALUES ($1, $2) RETURNING id", row -> row.getLong(0),
                name, type);
    }

    /** Sets the name and the type where given (not null). */
    public Uni<Integer> update(SqlClient tx, long id, String name, String type) {
        return Db.update(tx, "UPDATE data_source SET name = COALESCE($2, name), type = COALESCE($3, type), "
                + "last_updated = now() WHERE id = $1", id, name, type);
    }

    public Uni<Integer> delete(SqlClient tx, long id) {
        return Db.update(tx, "DELETE FROM data_source WHERE id = $1", id);
    }

    /** The new link's id, or null when the data source supports the data type already. */
    public Uni<Long> insertSupportedScope(SqlClient tx, long id, long codeId) {
        return Db.one(tx, "INSERT INTO data_source_supported_scope (data_source_id, scope_code_id) VALUES ($1, $2) "
                + "ON CONFLICT DO NOTHING RETURNING id", r -> r.getLong(0), id, codeId);
    }

    public Uni<Integer> deleteSupportedScope(SqlClient tx, long id, long codeId) {
        return Db.update(tx, "DELETE FROM data_source_supported_scope WHERE data_source_id = $1 AND scope_code_id = $2",
                id, codeId);
    }
}
