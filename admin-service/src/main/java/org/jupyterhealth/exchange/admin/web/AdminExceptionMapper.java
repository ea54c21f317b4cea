package org.jupyterhealth.exchange.admin.web;

import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.mutiny.CompositeException;

/**
 * The one exception mapper of admin-service, in the admin API's dialect: {@code {"detail": ...}} with the guide's
 * exact wording for 401 and 403, and a generic 500 (logged with the request id) for what nobody anticipated.
 */
public class AdminExceptionMapper {
    private static final Logger LOG = Logger.getLogger(AdminExceptionMapper.class);

    public static final String NOT_AUTHENTICATED = "Authentication credentials were not provided.";
    public static final String FORBIDDEN = "You do not have permission to perform this action.";

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthenticated() {
        return Response.status(401)
                .type(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"api\"")
                .entity(Map.of("detail", NOT_AUTHENTICATED))
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return detail(403, FORBIDDEN);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String detail = switch (status) {
            case 400 -> "Bad request.";
            case 404 -> "Not found.";
            case 405 -> "Method not allowed.";
            case 406 -> "Could not satisfy the request Accept header.";
            case 415 -> "Unsupported media type in request.";
            default -> status >= 500 ? "A server error occurred." : "Request refused.";
        };
        return detail(status, detail);
    }

    @ServerExceptionMapper
    public Response composite(CompositeException e) {
        Throwable cause = e.getCause();
        if (cause instanceof AuthenticationFailedException || cause instanceof UnauthorizedException) {
            return unauthenticated();
        }
        if (cause instanceof ForbiddenException) {
            return detail(403, FORBIDDEN);
        }
        if (cause instanceof WebApplicationException w) {
            return webApplication(w);
        }
        return unexpected(cause == null ? e : cause);
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e) {
        LOG.error("unexpected failure", e);
        return detail(500, "A server error occurred.");
    }

    public static Response detail(int status, String detail) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("detail", detail)).build();
    }
}
