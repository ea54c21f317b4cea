package org.jupyterhealth.exchange.identity.oauth;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.identity.client.OAuthClient;
import org.jupyterhealth.exchange.identity.code.AuthorizationCodeRepository;
import org.jupyterhealth.exchange.identity.code.Pkce;
import org.jupyterhealth.exchange.identity.token.RandomTokens;
import org.jupyterhealth.exchange.identity.token.TokenRevocationService;
import org.jupyterhealth.exchange.identity.token.TokenService;

import io.smallrye.mutiny.Uni;

/**
 * Exchanging an authorization code (RFC 6749 §4.1.3) with its PKCE verifier (RFC 7636 §4.5, required for every
 * client). A code is used once: the first request consumes it whatever follows, and a second use revokes every
 * token the first one issued (RFC 6749 §4.1.2).
 */
@ApplicationScoped
public class AuthorizationCodeGrantHandler implements GrantHandler {
    static final String GRANT = "authorization_code";
    private static final String INVALID = "Invalid authorization code.";

    private final AuthorizationCodeRepository codes;
    private final TokenService tokens;
    private final TokenRevocationService revocations;

    public AuthorizationCodeGrantHandler(AuthorizationCodeRepository codes, TokenService tokens,
            TokenRevocationService revocations) {
        this.codes = codes;
        this.tokens = tokens;
        this.revocations = revocations;
    }

    @Override
    public String grantType() {
        return GRANT;
    }

    @Override
    public Uni<TokenResponse> handle(TokenRequest request, OAuthClient client) {
        String hash = RandomTokens.sha256Hex(request.require("code"));
        String verifier = request.get("code_verifier");
        if (verifier == null) {
            throw OAuthException.invalidRequest("Missing code_verifier parameter (PKCE is required).");
        }
        String redirectUri = request.get("redirect_uri");
        return codes.consume(hash).chain(code -> {
            if (code == null) {
                return refuseUnusable(hash);
            }
            Long userId = code.user().id();
            if (code.clientPk() != client.id()) {
                throw OAuthException.invalidGrant(INVALID).reason("code of another client").user(userId);
            }
            if (code.expired()) {
                throw OAuthException.invalidGrant(INVALID).reason("code expired").user(userId);
            }
            // RFC 6749 §4.1.3: the redirect_uri of the authorization request, identical
            if (code.redirectUri() != null ? !code.redirectUri().equals(redirectUri)
                    : redirectUri != null && !client.hasRedirectUri(redirectUri)) {
                throw OAuthException.invalidGrant("redirect_uri does not match the authorization request.")
                        .reason("redirect_uri mismatch").user(userId);
            }
            if (!Pkce.verifies(verifier, code.codeChallenge())) {
                throw OAuthException.invalidGrant("The code_verifier does not match the code_challenge.")
                        .reason("PKCE verification failed").user(userId);
            }
            if (!code.user().active()) {
                throw OAuthException.invalidGrant(INVALID).reason("account inactive").user(userId);
            }
            return tokens.issueForUser(new TokenService.UserGrant(client, code.user(), code.scope(), code.familyId(),
                    code.nonce(), code.issuedAt()))
                    .invoke(() -> TokenAudit.issued(GRANT, client.clientId(), userId, code.scope()));
        });
    }

    /** An unknown code, or one already used: then what it issued is revoked. */
    private Uni<TokenResponse> refuseUnusable(String hash) {
        return codes.findFamilyOfUsedCode(hash).chain(familyId -> {
            if (familyId == null) {
                return Uni.createFrom().failure(OAuthException.invalidGrant(INVALID).reason("unknown code"));
            }
            return revocations.revokeFamily(familyId).chain(() -> Uni.createFrom().failure(
                    OAuthException.invalidGrant(INVALID).reason("code reused: its tokens are revoked")));
        });
    }
}
