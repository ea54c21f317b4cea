package org.jupyterhealth.exchange.identity.internal;

/**
 * {@code POST /internal/authorization-codes}: {@code clientId} is the client's primary key (as the admin API
 * names it); {@code codeChallenge} may be left out for the guide's invitation links (the static PKCE pair).
 */
public record AuthorizationCodeRequest(Long userId, Long clientId, String codeChallenge, String codeChallengeMethod,
        String scope, String redirectUri, Long expiresInSeconds) {
}
