package org.jupyterhealth.exchange.identity.oauth;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jupyterhealth.exchange.identity.client.ClientAuthenticator;
import org.jupyterhealth.exchange.identity.web.ClientAddress;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * The token endpoint (RFC 6749 §3.2). Guards, in order: content type, no repeated parameter, {@code grant_type}
 * present and supported, client authentication, the client's right to the grant; then one {@link GrantHandler}.
 * Every refusal is audited here, once, with the reason the guard or the handler gave.
 */
@Path("/o/token")
@PermitAll
public class TokenResource {
    private final ClientAuthenticator clientAuthenticator;
    private final ClientAddress clientAddress;
    private final Map<String, GrantHandler> handlers;

    public TokenResource(ClientAuthenticator clientAuthenticator, Instance<GrantHandler> handlers,
            ClientAddress clientAddress) {
        this.clientAuthenticator = clientAuthenticator;
        this.clientAddress = clientAddress;
        this.handlers = handlers.stream().collect(Collectors.toMap(GrantHandler::grantType, Function.identity()));
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> token(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest http,
            String body) {
        AtomicReference<String> grantType = new AtomicReference<>();
        AtomicReference<String> clientId = new AtomicReference<>();
        return Uni.createFrom().deferred(() -> {
            TokenRequest request = FormRequests.parse(contentType, body, clientAddress.of(http));
            clientId.set(request.get("client_id"));
            grantType.set(request.require("grant_type"));
            GrantHandler handler = handlers.get(grantType.get());
            if (handler == null) {
                throw OAuthException.unsupportedGrantType("Unsupported grant type: " + grantType.get() + ".");
            }
            return clientAuthenticator.authenticate(authorization, request).chain(client -> {
                clientId.set(client.clientId());
                if (!client.allowsGrant(grantType.get())) {
                    throw OAuthException.unauthorizedClient(
                            "The client is not allowed the " + grantType.get() + " grant.");
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
