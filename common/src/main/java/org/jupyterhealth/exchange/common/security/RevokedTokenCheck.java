package org.jupyterhealth.exchange.common.security;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.Startup;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;

/**
 * Refuses access tokens that identity-service has revoked, although they are valid JWTs: it follows the topic
 * {@code token-revocations} ({@link RevokedTokens}) and turns a revoked {@code jti} into an authentication failure
 * (401), within seconds of the revocation. It follows the topic from start-up, so that a token revoked before the
 * service's first request is refused too.
 *
 * <p>It is a bean only in the services that verify tokens ({@link #VERIFY_TOKENS}): common is a bean archive in
 * every service, and gateway, identity-service and ingest-service neither verify bearer tokens this way nor have
 * the libraries it needs.
 */
@Singleton
@Startup
@IfBuildProperty(name = RevokedTokenCheck.VERIFY_TOKENS, stringValue = "true")
public class RevokedTokenCheck implements SecurityIdentityAugmentor {
    /** The build property by which a service takes this check and {@link VerifiedTokenCache} as beans. */
    public static final String VERIFY_TOKENS = "jhe.security.verify-tokens";

    private final RevokedTokens revoked;

    public RevokedTokenCheck(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "quarkus.application.name") String service) {
        this.revoked = RevokedTokens.follow(bootstrapServers, service);
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (!identity.isAnonymous() && identity.getPrincipal() instanceof JsonWebToken token
                && revoked.isRevoked(token.getTokenID())) {
            return Uni.createFrom().failure(new AuthenticationFailedException("revoked token"));
        }
        return Uni.createFrom().item(identity);
    }

    @PreDestroy
    void close() {
        revoked.close();
    }
}
