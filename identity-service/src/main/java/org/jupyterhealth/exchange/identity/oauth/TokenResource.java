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

/** The token endpoint (RFC 6749 §3.2): every grant of a {@link GrantHandler}, through {@link TokenEndpoint}. */
@Path("/o/token")
@PermitAll
public class TokenResource {
    private final TokenEndpoint endpoint;

    public TokenResource(TokenEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> token(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest http,
            String body) {
        return endpoint.respond(contentType, authorization, http, body, null);
    }
}
