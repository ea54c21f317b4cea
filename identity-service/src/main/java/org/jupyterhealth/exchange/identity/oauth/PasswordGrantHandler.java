package org.jupyterhealth.exchange.identity.oauth;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.identity.account.LoginAttemptService;
import org.jupyterhealth.exchange.identity.client.OAuthClient;
import org.jupyterhealth.exchange.identity.token.TokenService;

import io.smallrye.mutiny.Uni;

/**
 * Resource owner password credentials (RFC 6749 §4.3), for clients explicitly allowed it (the local demo client,
 * so that the guide's Python example works). Repeated failures are refused with 429 (RFC 6749 §10.10 asks the
 * server to protect this grant against brute force).
 */
@ApplicationScoped
public class PasswordGrantHandler implements GrantHandler {
    static final String GRANT = "password";

    private final LoginAttemptService logins;
    private final TokenService tokens;

    public PasswordGrantHandler(LoginAttemptService logins, TokenService tokens) {
        this.logins = logins;
        this.tokens = tokens;
    }

    @Override
    public String grantType() {
        return GRANT;
    }

    @Override
    public Uni<TokenResponse> handle(TokenRequest request, OAuthClient client) {
        String username = request.require("username");
        String password = request.require("password");
        String scope = Scopes.grant(request.get("scope"));
        return logins.signIn(username, password, request.clientAddress()).chain(outcome -> {
            if (outcome instanceof LoginAttemptService.Locked locked) {
                throw OAuthException.tooManyAttempts(locked.retryAfter()).reason("sign-in locked");
            }
            if (outcome instanceof LoginAttemptService.PasskeyRequired) {
                throw OAuthException.invalidGrant(LoginAttemptService.PASSKEY_REQUIRED)
                        .reason("password sign-in of an account that requires a passkey");
            }
            if (!(outcome instanceof LoginAttemptService.SignedIn signedIn)) {
                throw OAuthException.invalidGrant("Invalid credentials given.").reason("bad credentials");
            }
            return tokens.issueForUser(new TokenService.UserGrant(client, signedIn.user(), scope, null, null,
                    Instant.now()))
                    .invoke(() -> TokenAudit.issued(GRANT, client.clientId(), signedIn.user().id(), scope));
        });
    }
}
