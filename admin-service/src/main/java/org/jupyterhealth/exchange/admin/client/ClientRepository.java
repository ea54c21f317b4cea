package org.jupyterhealth.exchange.admin.client;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.client.ClientResponses.ClientDataSource;
import org.jupyterhealth.exchange.admin.client.ClientResponses.ClientResponse;
import org.jupyterhealth.exchange.admin.db.Db;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/** The SQL of patient apps ({@code oauth_client} of kind patient) and their data sources. */
@ApplicationScoped
public class ClientRepository {
    private final Db db;

    public ClientRepository(Db db) {
        this.db = db;
    }

    private static ClientResponse client(Row r) {
        return new ClientResponse(r.getLong("id"), r.getString("name"), r.getString("client_id"),
                r.getString("invitation_url"));
    }

    /** The patient app of this number, or null. */
    public Uni<ClientResponse> findById(long id) {
        return db.one("SELECT * FROM oauth_client WHERE id = $1 AND kind = 'patient'", ClientRepository::client, id);
    }

    public Uni<Long> count() {
        return db.count("SELECT count(*) FROM oauth_client WHERE kind = 'patient'");
    }

    public Uni<List<ClientResponse>> list(long offset, int limit) {
        return db.list("SELECT * FROM oauth_client WHERE kind = 'patient' ORDER BY id OFFSET $1 LIMIT $2",
                ClientRepository::client, offset, limit);
    }

    /** Stores the record of a client identity-service has just registered. */
    public Uni<Integer> insert(SqlClient tx, long id, String clientId, String name, String invitationUrl) {
        return Db.update(tx, "INSERT INTO oauth_client (id, client_id, name, kind, invitation_url) "
                + "VALUES ($1, $2, $3, 'patient', $4)", id, clientId, name, invitationUrl);
    }

    /** Sets the name and the invitation URL given (null is "not given"). */
    public Uni<Integer> update(SqlClient tx, long id, String name, String invitationUrl) {
        return Db.update(tx, "UPDATE oauth_client SET name = COALESCE($2, name), "
                + "invitation_url = COALESCE($3, invitation_url), last_updated = now() WHERE id = $1", id, name,
                invitationUrl);
    }

    public Uni<Integer> delete(SqlClient tx, long id) {
        return Db.update(tx, "DELETE FROM oauth_client WHERE id = $1", id);
    }

    /** The data sources linked to the client, by name. */
    public Uni<List<ClientDataSource>> listDataSources(long id) {
        return db.list("SELECT d.id, d.name, d.type FROM client_data_source l JOIN data_source d "
                + "ON d.id = l.data_source_id WHERE l.client_id = $1 ORDER BY d.name, d.id",
                r -> new ClientDataSource(r.getLong(0), r.getString(1), r.getString(2), List.of()), id);
    }

    public Uni<Boolean> dataSourceExists(long dataSourceId) {
        return db.one("SELECT EXISTS (SELECT 1 FROM data_source WHERE id = $1)", r -> r.getBoolean(0), dataSourceId);
    }

    /** The new link's id, or null when the client is already linked to the data source. */
    public Uni<Long> insertDataSource(SqlClient tx, long id, long dataSourceId) {
        return Db.one(tx, "INSERT INTO client_data_source (client_id, data_source_id) VALUES ($1, $2) "
                + "ON CONFLICT DO NOTHING RETURNING id", r -> r.getLong(0), id, dataSourceId);
    }

    public Uni<Integer> deleteDataSource(SqlClient tx, long id, long dataSourceId) {
        return Db.update(tx, "DELETE FROM client_data_source WHERE client_id = $1 AND data_source_id = $2", id,
                dataSourceId);
    }
}
