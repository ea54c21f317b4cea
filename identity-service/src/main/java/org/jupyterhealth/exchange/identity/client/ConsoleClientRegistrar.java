package org.jupyterhealth.exchange.identity.client;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.identity.config.IdentityConfig;

import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Registers the web console's client at start, from configuration, as the services' clients are
 * ({@link ServiceClientRegistrar}): client id {@code jhe-console}, confidential (its secret from config, the same the
 * console has), authorization code (with PKCE, which the console always sends) and refresh tokens, redirected only to
 * the console's callback and, after sign-out, to its signed-out page under the public URL. Not a service: it never
 * gets the {@code internal} scope. A changed secret or public URL takes effect at the next start; without a secret
 * there is no console client.
 */
@Singleton
public class ConsoleClientRegistrar {
    public static final String CLIENT_ID = "jhe-console";
    private static final Logger LOG = Logger.getLogger(ConsoleClientRegistrar.class);

    /** After the demo seed (default priority), whose clients have fixed ids below the sequence it moves on. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event, IdentityConfig config, Pool pool) {
        if (config.consoleClientSecret().isEmpty()) {
            LOG.infof("no secret configured for the %s client: the console cannot sign anyone in", CLIENT_ID);
            return;
        }
        String base = IdentityConfig.stripTrailingSlash(config.publicUrl());
        String redirects = base + "/console/callback " + base + "/console/signed-out";
        boolean registered = pool.preparedQuery("""
                INSERT INTO identity.oauth_client (client_id, client_secret_hash, name, client_type, grant_types,
                                                   redirect_uris, skip_authorization, is_service)
                VALUES ($1, $2, 'JupyterHealth Exchange Console', 'confidential',
                        'authorization_code refresh_token', $3, TRUE, FALSE)
                ON CONFLICT (client_id) DO UPDATE SET client_secret_hash = EXCLUDED.client_secret_hash,
                    client_type = 'confidential', grant_types = EXCLUDED.grant_types,
                    redirect_uris = EXCLUDED.redirect_uris, skip_authorization = TRUE
                WHERE NOT oauth_client.is_service AND oauth_client.owner_user_id IS NULL
                RETURNING id""")
                .execute(Tuple.of(CLIENT_ID, ClientSecrets.hash(config.consoleClientSecret().get()), redirects))
                .await().indefinitely()
                .size() > 0;
        if (registered) {
            LOG.infof("console client %s registered", CLIENT_ID);
        } else {
            LOG.errorf("client id %s is taken by another client: the console client was not registered", CLIENT_ID);
        }
    }
}
