package org.jupyterhealth.exchange.admin.client;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.db.Db;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/** The SQL of practitioners' client-credentials clients ({@code practitioner_client} and its {@code oauth_client}). */
@ApplicationScoped
public class PractitionerClientRepository {
    private final Db db;

    public PractitionerClientRepository(Db db) {
        this.db = db;
    }

    private static PractitionerClientResponse client(Row r) {
        return new PractitionerClientResponse(r.getLong("id"), r.getString("label"), r.getOffsetDateTime("created"),
                r.getString("name"), r.getString("api_key"));
    }

    /** The practitioner's client of this number, or null (also when it is another practitioner's). */
    public Uni<PractitionerClientResponse> findOwn(long id, long practitionerId) {
        return db.one("SELECT * FROM practitioner_client WHERE id = $1 AND practitioner_id = $2",
                PractitionerClientRepository::client, id, practitionerId);
    }

    public Uni<Long> countOwn(long practitionerId) {
        return db.count("SELECT count(*) FROM practitioner_client WHERE practitioner_id = $1", practitionerId);
    }

    /** The practitioner's clients, newest first. */
    public Uni<List<PractitionerClientResponse>> listOwn(long practitionerId, long offset, int limit) {
        return db.list("SELECT * FROM practitioner_client WHERE practitioner_id = $1 "
                + "ORDER BY created DESC, id DESC OFFSET $2 LIMIT $3", PractitionerClientRepository::client,
                practitionerId, offset, limit);
    }

    /** Stores a client identity-service has just registered, and the practitioner's record of it: its id. */
    public Uni<Long> insert(SqlClient tx, long clientPk, String clientId, long practitionerId, String label,
            String name, String key) {
        return Db.update(tx, "INSERT INTO oauth_client (id, client_id, name, kind) VALUES ($1, $2, $3, "
                + "'practitioner')", clientPk, clientId, name)
                .chain(() -> Db.one(tx, "INSERT INTO practitioner_client (client_id, practitioner_id, label, name, "
                        + "api_key) VALUES ($1, $2, $3, $4, $5) RETURNING id", r -> r.getLong(0), clientPk,
                        practitionerId, label, name, key));
    }

    /** Sets the label, when given. */
    public Uni<Integer> updateLabel(SqlClient tx, long id, String label) {
        return Db.update(tx, "UPDATE practitioner_client SET label = COALESCE($2, label) WHERE id = $1", id, label);
    }

    /** The number of the OAuth client behind a practitioner client. */
    public Uni<Long> findClientPk(long id) {
        return db.one("SELECT client_id FROM practitioner_client WHERE id = $1", r -> r.getLong(0), id);
    }

    /** Deletes the OAuth client, and with it the practitioner's record of it. */
    public Uni<Integer> deleteClient(SqlClient tx, long clientPk) {
        return Db.update(tx, "DELETE FROM oauth_client WHERE id = $1", clientPk);
    }
}
