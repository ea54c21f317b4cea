package org.jupyterhealth.exchange.identity.oauth;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.identity.account.JheUserRepository;
import org.jupyterhealth.exchange.identity.client.OAuthClient;
import org.jupyterhealth.exchange.identity.token.TokenIssuer;
import org.jupyterhealth.exchange.identity.token.TokenService;

import io.smallrye.mutiny.Uni;

/**
 * Client credentials (RFC 6749 §4.4), for confidential clients only. A service client of the exchange gets a
 * service token (scope {@code internal}, docs/internal-api.md); a practitioner's automation client gets a token that
 * acts as the practitioner who owns it (docs/compatibility.md#grants, docs/compatibility.md#practitioner-clients). A
 * client that is neither acts for nobody and is refused.
 */
@ApplicationScoped
public class ClientCredentialsGrantHandler implements GrantHandler {
    static final String GRANT = "client_credentials";

    private final JheUserRepository users;
    private final TokenService tokens;

    public ClientCredentialsGrantHandler(JheUserRepository users, TokenService tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    @Override
    public String grantType() {
        return GRANT;
    }

    /** RFC 6749 §4.4: "MUST only be used by confidential clients". */
    @Override
    public boolean confidentialClientsOnly() {
        return true;
    }

    @Override
    public Uni<TokenResponse> handle(TokenRequest request, OAuthClient client) {
        String requested = request.get("scope");
        if (client.service()) {
            if (requested != null && !TokenIssuer.INTERNAL_SCOPE.equals(requested.trim())) {
                throw OAuthException.invalidScope("A service client may only ask for the internal scope.");
            }
            return tokens.issueForService(client)
                    .invoke(() -> TokenAudit.issued(GRANT, client.clientId(), null, TokenIssuer.INTERNAL_SCOPE));
        }
        if (client.ownerUserId() == null) {
            throw OAuthException.unauthorizedClient("The client does not act for any user.");
        }
        String scope = Scopes.grant(requested);
        return users.findById(client.ownerUserId()).chain(owner -> {
            if (owner == null || !owner.active()) {
                throw OAuthException.invalidGrant("The client's owner cannot sign in.").user(client.ownerUserId());
            }
            return tokens.issueForOwner(client, owner, scope)
                    .invoke(() -> TokenAudit.issued(GRANT, client.clientId(), owner.id(), scope));
        });
    }
}
