package org.jupyterhealth.exchange.common.security;

import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;

/**
 * An identity provider for the bearer access tokens the exchange's APIs take: identity-service's own, which verifies
 * the tokens it issued, and {@link VerifiedTokenCache}, which remembers what the OIDC provider verified in the
 * other services.
 */
public interface BearerTokenIdentityProvider extends IdentityProvider<TokenAuthenticationRequest> {

    @Override
    default Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }
}
