package org.jupyterhealth.exchange.admin.account;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jupyterhealth.exchange.admin.config.AdminConfig;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/**
 * Builds the {@link IdentityClient} against identity-service's base URL: {@code jhe.admin.identity-url} when set,
 * otherwise the origin of the token issuer's JWKS location ({@code quarkus.oidc.auth-server-url}), which is where
 * identity-service listens.
 */
@ApplicationScoped
public class IdentityClients {

    @Produces
    @Singleton
    IdentityClient identityClient(AdminConfig config,
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") String authServerUrl) {
        URI base = config.identityUrl().map(URI::create).orElseGet(() -> URI.create(authServerUrl).resolve("/"));
        Duration timeout = config.identityTimeout();
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(base)
                .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .build(IdentityClient.class);
    }
}
