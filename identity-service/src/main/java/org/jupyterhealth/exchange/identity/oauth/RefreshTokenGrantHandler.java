package org.jupyterhealth.exchange.identity.oauth;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.identity.client.OAuthClient;
import org.jupyterhealth.exchange.identity.token.RandomTokens;
import org.jupyterhealth.exchange.identity.token.RefreshTokenRepository;
import org.jupyterhealth.exchange.identity.token.TokenRevocationService;
import org.jupyterhealth.exchange.identity.token.TokenService;

import io.smallrye.mutiny.Uni;

/**
 * Refreshing an access token (RFC 6749 §6). Every use rotates the refresh token; presenting a token that was
 * already rotated means it was copied, so the whole family (every refresh and access token of that grant) is
 * revoked (OAuth 2.0 Security BCP, RFC 9700 §4.14.2; docs/compatibility.md#tokens).
 */
@ApplicationScoped
public class RefreshTokenGrantHandler implements GrantHandler {
    static final String GRANT = TokenService.REFRESH_TOKEN_GRANT;
    private static final String INVALID = "Invalid refresh token.";

    private final RefreshTokenRepository refreshTokens;
    private final TokenService tokens;
    private final TokenRevocationService revocations;

    public RefreshTokenGrantHandler(RefreshTokenRepository refreshTokens, TokenService tokens,
            TokenRevocationService revocations) {
        this.refreshTokens = refreshTokens;
        this.tokens = tokens;
        this.revocations = revocations;
    }

    @Override
    public String grantType() {
        return GRANT;
    }

    @Override
    public Uni<TokenResponse> handle(TokenRequest request, OAuthClient client) {
        String hash = RandomTokens.sha256Hex(request.require("refresh_token"));
        String requestedScope = request.get("scope");
        String[] requested = requestedScope == null ? new String[0] : Scopes.grant(requestedScope).split(" ");
        return refreshTokens.rotate(hash, client.id(), requested).chain(rotated -> {
            if (rotated == null) {
                return refuse(hash, client);
            }
            if (!rotated.user().active()) {
                return revocations.revokeFamily(rotated.familyId()).chain(() -> Uni.createFrom().failure(
                        OAuthException.invalidGrant(INVALID).reason("account inactive").user(rotated.user().id())));
            }
            String scope = requestedScope == null ? rotated.scope() : String.join(" ", requested);
            return tokens.issueForUser(new TokenService.UserGrant(client, rotated.user(), scope, rotated.familyId(),
                    null, null))
                    .invoke(() -> TokenAudit.issued(GRANT, client.clientId(), rotated.user().id(), scope));
        });
    }

    /** Why the token could not be used; a rotated one is a replay, and its family is revoked. */
    private Uni<TokenResponse> refuse(String hash, OAuthClient client) {
        return refreshTokens.findByHash(hash).chain(state -> {
            String reason;
            if (state == null) {
                reason = "unknown refresh token";
            } else if (state.clientPk() != client.id()) {
                reason = "refresh token of another client";
            } else if (state.current()) {
                // RFC 6749 §6: a refresh may narrow the scope, never widen it
                return Uni.createFrom().failure(OAuthException.invalidScope(
                        "The requested scope exceeds the scope originally granted.").reason("scope widened"));
            } else if (state.rotated() && !state.revoked()) {
                return revocations.revokeFamily(state.familyId()).chain(() -> Uni.createFrom().failure(
                        OAuthException.invalidGrant(INVALID).reason("refresh token reused: family revoked")));
            } else {
                reason = state.revoked() ? "refresh token revoked" : "refresh token expired";
            }
            return Uni.createFrom().failure(OAuthException.invalidGrant(INVALID).reason(reason));
        });
    }
}
