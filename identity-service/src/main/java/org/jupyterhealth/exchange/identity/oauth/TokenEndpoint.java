package org.jupyterhealth.exchange.identity.oauth;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jupyterhealth.exchange.identity.client.ClientAuthenticator;
import org.jupyterhealth.exchange.identity.web.ClientAddress;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * The guard sequence of the token endpoints (RFC 6749 §3.2), {@code /o/token} and {@code /o/token-exchange}, in
 * order: content type, no repeated parameter, {@code grant_type} present and supported, client authentication, the
 * client's right to the grant; then one {@link GrantHandler}. Every refusal is audited here, once, with the reason
 * the guard or the handler gave.
 */
@ApplicationScoped
public class TokenEndpoint {
    private final ClientAuthenticator clientAuthenticator;
    private final ClientAddress clientAddress;
    private final Map<String, GrantHandler> handlers;

    public TokenEndpoint(ClientAuthenticator clientAuthenticator, Instance<GrantHandler> handlers,
            ClientAddress clientAddress) {
        this.clientAuthenticator = clientAuthenticator;
        this.clientAddress = clientAddress;
        this.handlers = handlers.stream().collect(Collectors.toMap(GrantHandler::grantType, Function.identity()));
    }

    /**
     * Answers one token request.
     *
     * @param onlyGrant the one grant type the path serves; null for every grant type of a handler
     */
    public Uni<Response> respond(String contentType, String authorization, HttpServerRequest http, String body,
            String onlyGrant) {
        AtomicReference<String> grantType = new AtomicReference<>();
        AtomicReference<String> clientId = new AtomicReference<>();
        return Uni.createFrom().deferred(() -> {
            TokenRequest request = FormRequests.parse(contentType, body, clientAddress.of(http));
            clientId.set(request.get("client_id"));
            grantType.set(request.require("grant_type"));
            GrantHandler handler = onlyGrant == null || onlyGrant.equals(grantType.get())
                    ? handlers.get(grantType.get())
                    : null;
            if (handler == null) {
                throw OAuthException.unsupportedGrantType("Unsupported grant type: " + grantType.get() + ".");
            }
            return clientAuthenticator.authenticate(authorization, request).chain(client -> {
                clientId.set(client.clientId());
                if (!client.allowsGrant(grantType.get())) {
                    throw OAuthException.unauthorizedClient(
                            "The client is not allowed the " + grantType.get() + " grant.");
                }
                if (handler.confidentialClientsOnly() && !client.isConfidential()) {
                    throw OAuthException.unauthorizedClient(
                            "The " + grantType.get() + " grant needs a confidential client.");
                }
                return handler.handle(request, client);
            });
        })
                .onFailure(OAuthException.class).invoke(failure -> {
                    OAuthException e = (OAuthException) failure;
                    TokenAudit.refused(grantType.get(), e.clientId() != null ? e.clientId() : clientId.get(),
                            e.userId(), e.error(), e.reason());
                })
                .map(token -> Response.ok(token)
                        .header(HttpHeaders.CACHE_CONTROL, "no-store")
                        .header("Pragma", "no-cache")
                        .build());
    }
}
