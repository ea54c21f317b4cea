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
    public static final String CALLBACK = "https://app.example.com/callback";

    private final Pool pool;
    private final PasswordHasher hasher;
    private String passwordHash;

    public IdentityFixtures(Pool pool, PasswordHasher hasher) {
        this.pool = pool;
        this.hasher = hasher;
    }

    /** A practitioner account with {@link #PASSWORD}; returns its id. */
    public long practitioner(String email, boolean active) {
        return account(email, "practitioner", active);
    }

    /** A patient account with {@link #PASSWORD}; returns its id. */
    public long patient(String email) {
        return account(email, "patient", true);
    }

    /** Gives the account the identifier of its FHIR resource at an EHR (the token exchange matches it). */
    public void identify(long userId, String identifier) {
        pool.preparedQuery("UPDATE identity.jhe_user SET identifier = $2 WHERE id = $1")
                .execute(Tuple.of(userId, identifier))
                .await().indefinitely();
    }

    private long account(String email, String userType, boolean active) {
        if (passwordHash == null) {
            passwordHash = hasher.hash(PASSWORD);
        }
        return pool.preparedQuery("""
                INSERT INTO identity.jhe_user (email, password_hash, first_name, last_name, user_type, is_active)
                VALUES ($1, $2, 'Test', 'Person', $3, $4)
                ON CONFLICT (lower(email)) DO UPDATE SET is_active = EXCLUDED.is_active
                RETURNING id""")
                .execute(Tuple.of(email, passwordHash, userType, active))
                .await().indefinitely()
                .iterator().next().getLong("id");
    }

    /** A public client allowed the given space-separated grants, redirecting to {@link #CALLBACK}. */
    public long publicClient(String clientId, String grants) {
        return client(clientId, null, "public", grants, null, true);
    }

    /** A public third-party client (the user is asked to allow it). */
    public long thirdPartyClient(String clientId, String grants) {
        return client(clientId, null, "public", grants, null, false);
    }

    /** A confidential client with {@code secret}, allowed the given grants. */
    public long confidentialClient(String clientId, String secret, String grants) {
        return client(clientId, secret, "confidential", grants, null, true);
    }

    /** A practitioner's automation client: confidential, client_credentials, acting as {@code ownerId}. */
    public long automationClient(String clientId, String secret, long ownerId) {
        return client(clientId, secret, "confidential", "client_credentials", ownerId, true);
    }

    /** The primary key of a client. */
    public long clientPk(String clientId) {
        return pool.preparedQuery("SELECT id FROM identity.oauth_client WHERE client_id = $1")
                .execute(Tuple.of(clientId)).await().indefinitely().iterator().next().getLong("id");
    }

    private long client(String clientId, String secret, String type, String grants, Long owner, boolean firstParty) {
        return pool.preparedQuery("""
                INSERT INTO identity.oauth_client (client_id, client_secret_hash, name, client_type, grant_types,
                                                   redirect_uris, owner_user_id, skip_authorization)
                VALUES ($1, $2, $1, $3, $4, $5, $6, $7)
                ON CONFLICT (client_id) DO UPDATE SET grant_types = EXCLUDED.grant_types
                RETURNING id""")
                .execute(Tuple.tuple().addString(clientId).addString(secret == null ? null : ClientSecrets.hash(secret))
                        .addString(type).addString(grants).addString(CALLBACK + " app://callback")
                        .addLong(owner).addBoolean(firstParty))
                .await().indefinitely()
                .iterator().next().getLong("id");
    }
}
