package org.jupyterhealth.exchange.identity.support;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.identity.account.PasswordHasher;
import org.jupyterhealth.exchange.identity.client.ClientSecrets;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Accounts and clients written straight into identity's tables, for tests. */
@ApplicationScoped
public class IdentityFixtures {
    public static final String PASSWORD = "Correct-Horse-42";

    private final Pool pool;
    private final PasswordHasher hasher;

    public IdentityFixtures(Pool pool, PasswordHasher hasher) {
        this.pool = pool;
        this.hasher = hasher;
    }

    /** A practitioner account with {@link #PASSWORD}; returns its id. */
    public long practitioner(String email, boolean active) {
        return pool.preparedQuery("""
                INSERT INTO identity.jhe_user (email, password_hash, first_name, last_name, user_type, is_active)
                VALUES ($1, $2, 'Test', 'Practitioner', 'practitioner', $3)
                ON CONFLICT (lower(email)) DO UPDATE SET is_active = EXCLUDED.is_active
                RETURNING id""")
                .execute(Tuple.of(email, hasher.hash(PASSWORD), active))
                .await().indefinitely()
                .iterator().next().getLong("id");
    }

    /** A public client allowed the given space-separated grants. */
    public void publicClient(String clientId, String grants) {
        pool.preparedQuery("""
                INSERT INTO identity.oauth_client (client_id, name, client_type, grant_types)
                VALUES ($1, $1, 'public', $2) ON CONFLICT (client_id) DO NOTHING""")
                .execute(Tuple.of(clientId, grants)).await().indefinitely();
    }

    /** A confidential client with {@code secret}, allowed the given grants. */
    public void confidentialClient(String clientId, String secret, String grants) {
        pool.preparedQuery("""
                INSERT INTO identity.oauth_client (client_id, client_secret_hash, name, client_type, grant_types)
                VALUES ($1, $2, $1, 'confidential', $3) ON CONFLICT (client_id) DO NOTHING""")
                .execute(Tuple.of(clientId, ClientSecrets.hash(secret), grants)).await().indefinitely();
    }
}
