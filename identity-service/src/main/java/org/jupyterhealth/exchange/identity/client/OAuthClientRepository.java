package org.jupyterhealth.exchange.identity.client;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

@ApplicationScoped
@WithSession
public class OAuthClientRepository implements PanacheRepository<OAuthClient> {
    private final Pool pool;

    public OAuthClientRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * The client with this OAuth {@code client_id}, detached (read-only); null if there is none. Set-based SQL on
     * the reactive client: every token request starts with it.
     */
    public Uni<OAuthClient> findByClientId(String clientId) {
        return pool.preparedQuery("SELECT id, client_id, client_secret_hash, name, client_type, grant_types, "
                + "redirect_uris, skip_authorization, owner_user_id, invitation_url, is_service, created "
                + "FROM identity.oauth_client WHERE client_id = $1")
                .execute(Tuple.of(clientId))
                .map(rows -> rows.size() == 0 ? null : detached(rows.iterator().next()));
    }

    /** The clients with these primary keys that are not the exchange's own services, by id. */
    public Uni<List<OAuthClient>> listByIds(List<Long> ids) {
        return list("id in ?1 and service = false order by id", ids);
    }

    @WithTransaction
    public Uni<Boolean> deleteClient(long id) {
        return deleteById(id);
    }

    private static OAuthClient detached(Row row) {
        OAuthClient client = new OAuthClient();
        client.id = row.getLong("id");
        client.clientId = row.getString("client_id");
        client.clientSecretHash = row.getString("client_secret_hash");
        client.name = row.getString("name");
        client.clientType = row.getString("client_type");
        client.grantTypes = row.getString("grant_types");
        client.redirectUris = row.getString("redirect_uris");
        client.skipAuthorization = row.getBoolean("skip_authorization");
        client.ownerUserId = row.getLong("owner_user_id");
        client.invitationUrl = row.getString("invitation_url");
        client.service = row.getBoolean("is_service");
        client.created = row.getOffsetDateTime("created").toInstant();
        return client;
    }
}
