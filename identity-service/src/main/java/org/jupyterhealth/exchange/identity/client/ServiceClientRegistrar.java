package org.jupyterhealth.exchange.identity.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.identity.config.IdentityConfig;

import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Registers the confidential clients of the exchange's own services at start, from configuration
 * (docs/internal-api.md "Service authentication"): client id = the service's artifact id, secret from config, grant
 * client_credentials only, marked as a service so that it alone may get the {@code internal} scope. A changed
 * secret takes effect at the next start. A service without a configured secret has no client.
 */
@Singleton
public class ServiceClientRegistrar {
    private static final Logger LOG = Logger.getLogger(ServiceClientRegistrar.class);

    void onStart(@Observes StartupEvent event, IdentityConfig config, Pool pool) {
        Map<String, Optional<String>> services = new LinkedHashMap<>();
        services.put("admin-service", config.serviceClients().adminService());
        services.put("fhir-service", config.serviceClients().fhirService());
        services.put("ingest-service", config.serviceClients().ingestService());
        services.forEach((clientId, secret) -> {
            if (secret.isEmpty()) {
                LOG.warnf("no secret configured for the %s client: that service cannot get a service token",
                        clientId);
                return;
            }
            boolean registered = pool.preparedQuery("""
                    INSERT INTO identity.oauth_client (client_id, client_secret_hash, name, client_type, grant_types,
                                                       skip_authorization, is_service)
                    VALUES ($1, $2, $1, 'confidential', 'client_credentials', TRUE, TRUE)
                    ON CONFLICT (client_id) DO UPDATE SET client_secret_hash = EXCLUDED.client_secret_hash,
                        client_type = 'confidential', grant_types = 'client_credentials', owner_user_id = NULL
                    WHERE oauth_client.is_service
                    RETURNING id""")
                    .execute(Tuple.of(clientId, ClientSecrets.hash(secret.get())))
                    .await().indefinitely()
                    .size() > 0;
            if (registered) {
                LOG.infof("service client %s registered", clientId);
            } else {
                LOG.errorf("client id %s is taken by a client that is not a service: the service client was not "
                        + "registered", clientId);
            }
        });
    }
}
