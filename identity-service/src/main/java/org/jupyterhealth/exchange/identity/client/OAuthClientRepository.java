package org.jupyterhealth.exchange.identity.client;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** OAuth clients (set-based SQL on the reactive client: every token request starts with a look-up here). */
@ApplicationScoped
public class OAuthClientRepository {
    private static final String COLUMNS = "id, client_id, client_secret_hash, name, client_type, grant_types, "
            + "redirect_uris, skip_authorization, owner_user_id, invitation_url, is_service, created";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM identity.oauth_client ";

    private final Pool pool;

    public OAuthClientRepository(Pool pool) {
        this.pool = pool;
    }

    /** The client with this OAuth {@code client_id}; null if there is none. */
    public Uni<OAuthClient> findByClientId(String clientId) {
        return pool.preparedQuery(SELECT + "WHERE client_id = $1")
                .execute(Tuple.of(clientId))
                .map(OAuthClientRepository::first);
    }

    /** The client with this primary key; null if there is none. */
    public Uni<OAuthClient> findById(long id) {
        return pool.preparedQuery(SELECT + "WHERE id = $1").execute(Tuple.of(id)).map(OAuthClientRepository::first);
    }

    /** The clients with these primary keys that are not the exchange's own services, by id. */
    public Uni<List<OAuthClient>> listByIds(List<Long> ids) {
        return pool.preparedQuery(SELECT + "WHERE id = ANY($1) AND NOT is_service ORDER BY id")
                .execute(Tuple.of(ids.toArray(Long[]::new)))
                .map(rows -> {
                    List<OAuthClient> clients = new ArrayList<>(rows.size());
                    rows.forEach(row -> clients.add(read(row)));
                    return clients;
                });
    }

    /**
     * Stores a client that skips the consent screen (every client registered through the API is first-party); null
     * when its {@code client_id} is taken, which the unique constraint decides, so that two registrations of one
     * id at the same time store one client.
     */
    public Uni<OAuthClient> insert(SqlClient tx, NewOAuthClient client) {
        return tx.preparedQuery("INSERT INTO identity.oauth_client (client_id, client_secret_hash, name, client_type, "
                + "grant_types, redirect_uris, skip_authorization, owner_user_id, invitation_url) "
                + "VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7, $8) ON CONFLICT (client_id) DO NOTHING RETURNING " + COLUMNS)
                .execute(Tuple.from(new Object[] { client.clientId(), client.clientSecretHash(), client.name(),
                        client.clientType(), client.grantTypes(), client.redirectUris(), client.ownerUserId(),
                        client.invitationUrl() }))
                .map(OAuthClientRepository::first);
    }

    /**
     * Renames a client that is not a service, or changes its invitation link (an empty one removes it); null values
     * are left as they are. The client, or null if there is no such client.
     */
    public Uni<OAuthClient> update(long id, String name, String invitationUrl) {
        return pool.preparedQuery("UPDATE identity.oauth_client SET name = coalesce($2, name), "
                + "invitation_url = CASE WHEN $3::text IS NULL THEN invitation_url ELSE nullif($3::text, '') END "
                + "WHERE id = $1 AND NOT is_service RETURNING " + COLUMNS)
                .execute(Tuple.of(id, name, invitationUrl))
                .map(OAuthClientRepository::first);
    }

    /** Deletes the client; its codes and refresh tokens cascade. */
    public Uni<Boolean> deleteById(long id) {
        return pool.preparedQuery("DELETE FROM identity.oauth_client WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> rows.rowCount() > 0);
    }

    private static OAuthClient first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : read(rows.iterator().next());
    }

    private static OAuthClient read(Row row) {
        return new OAuthClient(row.getLong("id"), row.getString("client_id"), row.getString("client_secret_hash"),
                row.getString("name"), row.getString("client_type"), row.getString("grant_types"),
                row.getString("redirect_uris"), row.getBoolean("skip_authorization"), row.getLong("owner_user_id"),
                row.getString("invitation_url"), row.getBoolean("is_service"),
                row.getOffsetDateTime("created").toInstant());
    }
}
