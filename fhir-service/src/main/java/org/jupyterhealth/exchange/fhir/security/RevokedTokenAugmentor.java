package org.jupyterhealth.exchange.fhir.security;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jupyterhealth.exchange.common.security.RevokedTokenCheck;

import io.quarkus.runtime.Startup;

/** Refuses revoked access tokens ({@link RevokedTokenCheck}), following the revocations from start-up. */
@Singleton
@Startup
public class RevokedTokenAugmentor extends RevokedTokenCheck {

    public RevokedTokenAugmentor(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "quarkus.application.name") String service) {
        super(bootstrapServers, service);
    }
}
