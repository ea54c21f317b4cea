package org.jupyterhealth.exchange.identity.client;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class OAuthClientRepository implements PanacheRepository<OAuthClient> {

    /** The client with this OAuth {@code client_id}; null if there is none. */
    public Uni<OAuthClient> findByClientId(String clientId) {
        return find("clientId", clientId).firstResult();
    }

    /** The clients with these primary keys that are not the exchange's own services, by id. */
    public Uni<List<OAuthClient>> listByIds(List<Long> ids) {
        return list("id in ?1 and service = false order by id", ids);
    }

    @WithTransaction
    public Uni<Boolean> deleteClient(long id) {
        return deleteById(id);
    }
}
