package org.jupyterhealth.exchange.identity.token;

import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.identity.account.JheUser;
import org.jupyterhealth.exchange.identity.client.OAuthClient;
import org.jupyterhealth.exchange.identity.config.IdentityConfig;
import org.jupyterhealth.exchange.identity.oauth.TokenResponse;

import io.smallrye.mutiny.Uni;

/**
 * Issues the tokens of a completed grant: signs the access token (and the ID token when {@code openid} was
 * granted), creates the refresh token when the client may refresh, and records them so that they can be revoked.
 */
@ApplicationScoped
public class TokenService {
    public static final String REFRESH_TOKEN_GRANT = "refresh_token";

    private final TokenIssuer issuer;
    private final AccessTokenRepository accessTokens;
    private final RefreshTokenRepository refreshTokens;
    private final IdentityConfig config;

    public TokenService(TokenIssuer issuer, AccessTokenRepository accessTokens, RefreshTokenRepository refreshTokens,
            IdentityConfig config) {
        this.issuer = issuer;
        this.accessTokens = accessTokens;
        this.refreshTokens = refreshTokens;
        this.config = config;
    }

    /** What a user grant asks for. */
    public record UserGrant(OAuthClient client, JheUser user, String scope, UUID familyId, String nonce,
            Instant authTime) {
    }

    /**
     * Tokens for a user: an access token; a refresh token when the client is allowed the refresh_token grant
     * (rotated in {@code familyId}, or a new family); an ID token when the scope holds {@code openid}.
     */
    public Uni<TokenResponse> issueForUser(UserGrant grant) {
        OAuthClient client = grant.client();
        TokenIssuer.IssuedToken access = issuer.issueForUser(grant.user(), client.clientId(), grant.scope());
        String idToken = hasScope(grant.scope(), "openid")
                ? issuer.idToken(grant.user(), client.clientId(), grant.nonce(), grant.authTime())
                : null;
        boolean refreshable = client.allowsGrant(REFRESH_TOKEN_GRANT);
        UUID familyId = grant.familyId() != null ? grant.familyId() : refreshable ? UUID.randomUUID() : null;
        String refreshToken = refreshable ? RandomTokens.refreshToken() : null;
        TokenResponse response = new TokenResponse(access.value(), "Bearer", access.expiresIn(), access.scope(),
                refreshToken, idToken);
        Uni<Void> recorded = refreshable
                ? refreshTokens.insertWithAccessToken(access.jti(), access.expiresAt(),
                        RandomTokens.sha256Hex(refreshToken), familyId, client.id(), grant.user().id(), grant.scope(),
                        Instant.now().plus(config.refreshTokenLifetime()))
                : accessTokens.record(access.jti(), grant.user().id(), client.id(), familyId, access.expiresAt());
        return recorded.replaceWith(response);
    }

    /** A service-to-service token (scope {@code internal}); never a refresh token. */
    public Uni<TokenResponse> issueForService(OAuthClient client) {
        TokenIssuer.IssuedToken access = issuer.issueForService(client.clientId());
        return accessTokens.record(access.jti(), null, client.id(), null, access.expiresAt())
                .replaceWith(TokenResponse.bearer(access.value(), access.expiresIn(), access.scope()));
    }

    /**
     * A client-credentials token acting as the client's owner (RFC 6749 §4.4.3: no refresh token); the same for the
     * practitioner a token exchange names, bound to the client that exchanged the EHR's token.
     */
    public Uni<TokenResponse> issueForOwner(OAuthClient client, JheUser owner, String scope) {
        TokenIssuer.IssuedToken access = issuer.issueForUser(owner, client.clientId(), scope);
        return accessTokens.record(access.jti(), owner.id(), client.id(), null, access.expiresAt())
                .replaceWith(TokenResponse.bearer(access.value(), access.expiresIn(), access.scope()));
    }

    public static boolean hasScope(String scope, String wanted) {
        return scope != null && Arrays.asList(scope.split(" ")).contains(wanted);
    }
}
