package org.jupyterhealth.exchange.identity.account;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

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

    /**
     * The account with this e-mail, compared case-insensitively, locked until the transaction ends; null if there is
     * none. The lock orders a registration that finds the account with a conditional delete of it: either the
     * delete comes first and the registration finds nothing, or the registration marks it and the delete sees that.
     */
    public Uni<JheUser> findByEmailForUpdate(String email) {
        return find("lower(email) = lower(?1)", email).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /**
     * Deletes the account only if nothing can have used it since it was created: no registration found it again,
     * it has no password and never signed in, no token or code was ever issued for it and it owns no client.
     * One statement, so that nothing can start using it between the check and the delete.
     */
    @WithTransaction
    public Uni<Boolean> deleteIfUnused(long id) {
        return getSession().chain(session -> session.createNativeQuery("DELETE FROM identity.jhe_user u "
                + "WHERE u.id = :id AND NOT u.registered_again AND u.password_hash IS NULL AND u.last_login IS NULL "
                + "AND NOT u.is_superuser "
                + "AND NOT EXISTS (SELECT 1 FROM identity.access_token t WHERE t.user_id = u.id) "
                + "AND NOT EXISTS (SELECT 1 FROM identity.refresh_token r WHERE r.user_id = u.id) "
                + "AND NOT EXISTS (SELECT 1 FROM identity.authorization_code c WHERE c.user_id = u.id) "
                + "AND NOT EXISTS (SELECT 1 FROM identity.oauth_client o WHERE o.owner_user_id = u.id)")
                .setParameter("id", id)
                .executeUpdate())
                .map(deleted -> deleted > 0);
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
