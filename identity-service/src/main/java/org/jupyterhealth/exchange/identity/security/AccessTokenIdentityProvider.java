package org.jupyterhealth.exchange.identity.security;

import java.util.HashSet;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.common.security.BearerTokenIdentityProvider;
import org.jupyterhealth.exchange.identity.token.AccessTokenVerifier;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Turns a verified, active access token into a security identity: the principal is the token's {@code sub}, the
 * roles are its scopes (so {@code @RolesAllowed("internal")} admits service tokens only, docs/internal-api.md), and
 * the verified token is kept as the attribute {@value #TOKEN}.
 */
@ApplicationScoped
public class AccessTokenIdentityProvider implements BearerTokenIdentityProvider {
    public static final String TOKEN = "jhe.access-token";

    private final AccessTokenVerifier verifier;

    public AccessTokenIdentityProvider(AccessTokenVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request,
            AuthenticationRequestContext context) {
        return verifier.verifyActive(request.getToken().getToken()).map(verified -> {
            if (verified == null) {
                throw new AuthenticationFailedException();
            }
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(verified.subject()))
                    .addRoles(new HashSet<>(verified.scopes()))
                    .addAttribute(TOKEN, verified)
                    .build();
        });
    }
}
