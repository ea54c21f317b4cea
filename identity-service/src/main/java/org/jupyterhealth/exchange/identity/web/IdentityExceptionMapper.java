package org.jupyterhealth.exchange.identity.web;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jupyterhealth.exchange.identity.oauth.OAuthException;

import io.smallrye.mutiny.CompositeException;

/**
 * The one exception mapper of identity-service: RFC 6749 errors for the token endpoint, {@code {"detail": ...}}
 * for everything else, and a generic 500 (logged with the request id) for what nobody anticipated.
 */
public class IdentityExceptionMapper {
    private static final Logger LOG = Logger.getLogger(IdentityExceptionMapper.class);

    @ServerExceptionMapper
    public Response oauth(OAuthException e) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", e.error());
        body.put("error_description", e.getMessage());
        Response.ResponseBuilder response = Response.status(e.status())
                .type(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Pragma", "no-cache")
                .entity(body);
        if (e.basicChallenge()) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"oauth\"");
        }
        if (e.retryAfter() != null) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfter().toSeconds()));
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response composite(CompositeException e) {
        Throwable cause = e.getCause();
        if (cause instanceof OAuthException oauth) {
            return oauth(oauth);
        }
        return unexpected(cause == null ? e : cause);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String detail = switch (status) {
            case 404 -> "Not found.";
            case 405 -> "Method not allowed.";
            case 406 -> "Could not satisfy the request Accept header.";
            case 415 -> "Unsupported media type in request.";
            default -> status >= 500 ? "A server error occurred." : "Bad request.";
        };
        return detail(status, detail);
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e) {
        LOG.error("unexpected failure", e);
        return detail(500, "A server error occurred.");
    }

    static Response detail(int status, String detail) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("detail", detail)).build();
    }
}
