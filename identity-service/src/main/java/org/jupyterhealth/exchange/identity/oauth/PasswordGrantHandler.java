package org.jupyterhealth.exchange.identity.oauth;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.identity.account.JheUser;
import org.jupyterhealth.exchange.identity.account.JheUserRepository;
import org.jupyterhealth.exchange.identity.account.PasswordHasher;
import org.jupyterhealth.exchange.identity.client.OAuthClient;
import org.jupyterhealth.exchange.identity.token.TokenIssuer;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Resource owner password credentials (RFC 6749 §4.3), for clients explicitly allowed it (the local demo client,
 * so that the guide's Python example works).
 */
@ApplicationScoped
public class PasswordGrantHandler implements GrantHandler {
    static final String GRANT = "password";

    private final JheUserRepository users;
    private final PasswordHasher hasher;
    private final TokenIssuer issuer;
    private final Vertx vertx;

    public PasswordGrantHandler(JheUserRepository users, PasswordHasher hasher, TokenIssuer issuer, Vertx vertx) {
        this.users = users;
        this.hasher = hasher;
        this.issuer = issuer;
        this.vertx = vertx;
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
        return users.findByEmail(username)
                .chain(user -> vertx.executeBlocking(Uni.createFrom().item(() -> check(user, password)), false))
                .map(user -> {
                    if (user == null) {
                        TokenAudit.refused(GRANT, client.clientId, null, "invalid_grant", "bad credentials");
                        throw OAuthException.invalidGrant("Invalid credentials given.");
                    }
                    TokenIssuer.IssuedToken token = issuer.issueForUser(user, client.clientId, scope);
                    TokenAudit.issued(GRANT, client.clientId, user.id, scope);
                    return TokenResponse.bearer(token.value(), token.expiresIn(), token.scope());
                });
    }

    /** The user when the password matches an active account; null otherwise, in constant work either way. */
    private JheUser check(JheUser user, String password) {
        boolean matches = hasher.matches(password, user == null ? null : user.passwordHash);
        return matches && user.active ? user : null;
    }
}
