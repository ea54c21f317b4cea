package org.jupyterhealth.exchange.identity.oauth;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jupyterhealth.exchange.identity.client.ClientAuthenticator;

import io.smallrye.mutiny.Uni;

/**
 * The token endpoint (RFC 6749 §3.2). Guards, in order: content type, no repeated parameter, {@code grant_type}
 * present and supported, client authentication, the client's right to the grant; then one {@link GrantHandler}.
 */
@Path("/o/token")
@PermitAll
public class TokenResource {
    private final ClientAuthenticator clientAuthenticator;
    private final Map<String, GrantHandler> handlers;

    public TokenResource(ClientAuthenticator clientAuthenticator, Instance<GrantHandler> handlers) {
        this.clientAuthenticator = clientAuthenticator;
        this.handlers = handlers.stream().collect(Collectors.toMap(GrantHandler::grantType, Function.identity()));
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> token(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        if (contentType == null || !contentType.toLowerCase().startsWith(MediaType.APPLICATION_FORM_URLENCODED)) {
            throw OAuthException.invalidRequest("Content-Type must be application/x-www-form-urlencoded.");
        }
        TokenRequest request = TokenRequest.parse(body);
        String grantType = request.require("grant_type");
        GrantHandler handler = handlers.get(grantType);
        if (handler == null) {
            throw OAuthException.unsupportedGrantType("Unsupported grant type: " + grantType + ".");
        }
        return clientAuthenticator.authenticate(authorization, request)
                .chain(client -> {
                    if (!client.allowsGrant(grantType)) {
                        throw OAuthException.unauthorizedClient(
                                "The client is not allowed the " + grantType + " grant.");
                    }
                    return handler.handle(request, client);
                })
                .map(token -> Response.ok(token)
                        .header(HttpHeaders.CACHE_CONTROL, "no-store")
                        .header("Pragma", "no-cache")
                        .build());
    }
}
