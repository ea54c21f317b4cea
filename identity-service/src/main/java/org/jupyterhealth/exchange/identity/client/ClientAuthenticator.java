package org.jupyterhealth.exchange.identity.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.identity.oauth.OAuthException;
import org.jupyterhealth.exchange.identity.oauth.TokenRequest;
import org.jupyterhealth.exchange.identity.web.FormInput;

import io.smallrye.mutiny.Uni;

/**
 * Authenticates the client of a token request (RFC 6749 §2.3): {@code client_secret_basic},
 * {@code client_secret_post}, or a public client identified by {@code client_id} alone.
 */
@ApplicationScoped
public class ClientAuthenticator {
    private final OAuthClientRepository clients;

    public ClientAuthenticator(OAuthClientRepository clients) {
        this.clients = clients;
    }

    /** The presented credentials: from the Authorization header or the body, never both (RFC 6749 §2.3.1). */
    record Credentials(String clientId, String secret, boolean basic) {
    }

    /** The authenticated client, or {@code invalid_client}. */
    public Uni<OAuthClient> authenticate(String authorization, TokenRequest request) {
        Credentials credentials = credentials(authorization, request);
        return clients.findByClientId(credentials.clientId()).map(client -> {
            if (client == null) {
                throw refusal(credentials, "unknown client");
            }
            if (client.isConfidential()) {
                if (!ClientSecrets.matches(credentials.secret(), client.clientSecretHash)) {
                    throw refusal(credentials, "wrong client secret");
                }
            } else if (credentials.secret() != null && client.clientSecretHash != null
                    && !ClientSecrets.matches(credentials.secret(), client.clientSecretHash)) {
                throw refusal(credentials, "wrong client secret");
            }
            return client;
        });
    }

    private static OAuthException refusal(Credentials credentials, String reason) {
        return OAuthException.invalidClient("Client authentication failed.", credentials.basic())
                .reason(reason).client(credentials.clientId());
    }

    static Credentials credentials(String authorization, TokenRequest request) {
        String bodyId = request.get("client_id");
        String bodySecret = request.get("client_secret");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            if (bodySecret != null) {
                throw OAuthException.invalidRequest("Use only one client authentication method.");
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw OAuthException.invalidClient("Malformed Basic credentials.", true);
            }
            int colon = decoded.indexOf(':');
            if (colon < 1) {
                throw OAuthException.invalidClient("Malformed Basic credentials.", true);
            }
            // RFC 6749 §2.3.1: client id and secret are form-encoded before Basic encoding
            String id;
            String secret;
            try {
                id = FormInput.decodeComponent(decoded.substring(0, colon), "client_id");
                secret = FormInput.decodeComponent(decoded.substring(colon + 1), "client_secret");
            } catch (FormInput.MalformedException e) {
                throw OAuthException.invalidRequest("Basic credentials: " + e.getMessage());
            }
            if (bodyId != null && !bodyId.equals(id)) {
                throw OAuthException.invalidRequest("client_id does not match the Authorization header.");
            }
            return new Credentials(id, secret, true);
        }
        if (bodyId == null) {
            throw OAuthException.invalidClient("Client authentication failed: no client_id.", false);
        }
        return new Credentials(bodyId, bodySecret, false);
    }
}
