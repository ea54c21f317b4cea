package org.jupyterhealth.exchange.common.security;

import jakarta.annotation.PreDestroy;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;

/**
 * Refuses access tokens that identity-service has revoked, although they are valid JWTs: it follows the topic
 * {@code token-revocations} ({@link RevokedTokens}) and turns a revoked {@code jti} into an authentication failure
 * (401), within seconds of the revocation. A service that verifies tokens makes it a bean by extending it.
 */
public abstract class RevokedTokenCheck implements SecurityIdentityAugmentor {
    private final RevokedTokens revoked;

    protected RevokedTokenCheck(String bootstrapServers, String service) {
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
    protected void close() {
        revoked.close();
    }
}
