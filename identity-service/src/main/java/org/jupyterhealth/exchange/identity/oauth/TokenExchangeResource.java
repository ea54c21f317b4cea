package org.jupyterhealth.exchange.identity.oauth;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * The original's own path of the SMART EHR-launch token exchange (RFC 8693), which its EHR-launch clients call: the
 * token endpoint restricted to {@link TokenExchangeGrantHandler}'s grant (the same grant is also served at
 * {@code /o/token}). Any other {@code grant_type} is {@code unsupported_grant_type}.
 */
@Path("/o/token-exchange")
@PermitAll
public class TokenExchangeResource {
    private final TokenEndpoint endpoint;

    public TokenExchangeResource(TokenEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> exchange(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest http,
            String body) {
        return endpoint.respond(contentType, authorization, http, body, TokenExchangeGrantHandler.GRANT);
    }
}
