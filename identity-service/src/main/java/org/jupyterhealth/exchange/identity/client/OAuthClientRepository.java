package org.jupyterhealth.exchange.identity.client;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class OAuthClientRepository implements PanacheRepository<OAuthClient> {

    /** The client with this OAuth {@code client_id}; null if there is none. */
    public Uni<OAuthClient> findByClientId(String clientId) {
        return find("clientId", clientId).firstResult();
    }
}
