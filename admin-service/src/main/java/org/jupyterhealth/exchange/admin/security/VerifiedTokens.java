package org.jupyterhealth.exchange.admin.security;

import java.time.Duration;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jupyterhealth.exchange.common.security.VerifiedTokenCache;

/** Verifies each access token once and remembers its identity until it expires ({@link VerifiedTokenCache}). */
@Singleton
public class VerifiedTokens extends VerifiedTokenCache {

    public VerifiedTokens(
            @ConfigProperty(name = "jhe.security.verified-tokens.maximum-size", defaultValue = "10000") long size,
            @ConfigProperty(name = "jhe.security.verified-tokens.lifetime", defaultValue = "5M") Duration lifetime) {
        super(size, lifetime);
    }
}
