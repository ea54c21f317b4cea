package org.jupyterhealth.exchange.identity.account;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
@WithSession
public class JheUserRepository implements PanacheRepository<JheUser> {

    /** The account with this e-mail address, compared case-insensitively; null if there is none. */
    public Uni<JheUser> findByEmail(String email) {
        return find("lower(email) = lower(?1)", email).firstResult();
    }

    /** Deletes the account; its clients, codes and refresh tokens cascade. */
    @WithTransaction
    public Uni<Boolean> deleteAccount(long id) {
        return deleteById(id);
    }

    @WithTransaction
    public Uni<Void> recordLogin(long id) {
        return update("lastLogin = ?1 where id = ?2", Instant.now(), id).replaceWithVoid();
    }
}
