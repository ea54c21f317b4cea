package org.jupyterhealth.exchange.admin.setting;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.db.JsonText;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Site settings, each value in the column of its type. */
@ApplicationScoped
public class SettingRepository {
    private final Db db;

    public SettingRepository(Db db) {
        this.db = db;
    }

    static SettingResponse map(Row row) {
        String type = row.getString("value_type");
        Object value = switch (type) {
            case "int" -> row.getLong("value_int");
            case "bool" -> row.getBoolean("value_bool");
            case "float" -> row.getDouble("value_float");
            case "json" -> row.getJson("value_json");
            default -> row.getString("value_string");
        };
        return new SettingResponse(row.getLong("id"), row.getString("key"), type, JsonText.of(value),
                row.getOffsetDateTime("last_updated"));
    }

    public Uni<Long> count() {
        return db.count("SELECT count(*) FROM jhe_setting");
    }

    public Uni<List<SettingResponse>> list(long offset, int limit) {
        return db.list("SELECT * FROM jhe_setting ORDER BY id OFFSET $1 LIMIT $2", SettingRepository::map, offset,
                limit);
    }

    /** The setting of this key, or null. */
    public Uni<SettingResponse> findByKey(String key) {
        return db.one("SELECT * FROM jhe_setting WHERE key = $1", SettingRepository::map, key);
    }

    public Uni<SettingResponse> findById(long id) {
        return db.one("SELECT * FROM jhe_setting WHERE id = $1", SettingRepository::map, id);
    }

    /** The new setting's id, or null when a setting has this key already. */
    public Uni<Long> insert(SqlClient tx, String key, String type, SettingColumns value) {
        return Db.one(tx, "INSERT INTO jhe_setting (key, value_type, value_string, value_int, value_bool, "
                + "value_float, value_json) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (key) DO NOTHING "
                + "RETURNING id", row -> row.getLong(0), key, type, value.string(), value.integer(), value.bool(),
                value.number(), value.json());
    }

    public Uni<Integer> update(SqlClient tx, long id, String key, String type, SettingColumns value) {
        return Db.update(tx, "UPDATE jhe_setting SET key = $2, value_type = $3, value_string = $4, value_int = $5, "
                + "value_bool = $6, value_float = $7, value_json = $8, last_updated = now() WHERE id = $1", id, key,
                type, value.string(), value.integer(), value.bool(), value.number(), value.json());
    }

    public Uni<Integer> delete(SqlClient tx, long id) {
        return Db.update(tx, "DELETE FROM jhe_setting WHERE id = $1", id);
    }
}
