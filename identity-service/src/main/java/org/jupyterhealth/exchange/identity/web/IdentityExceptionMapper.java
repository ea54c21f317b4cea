package org.jupyterhealth.exchange.identity.web;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jupyterhealth.exchange.common.web.DetailErrors;
import org.jupyterhealth.exchange.common.web.ErrorDialect;
import org.jupyterhealth.exchange.identity.oauth.OAuthException;
import org.jupyterhealth.exchange.identity.oauth.TokenAudit;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.mutiny.CompositeException;

/**
 * The one exception mapper of identity-service: RFC 6749 errors for the OAuth form endpoints, {@code {"detail": ...}}
 * for everything else, and a generic 500 (logged with the request id) for what nobody anticipated.
 */
public class IdentityExceptionMapper {
    private static final Logger LOG = Logger.getLogger(IdentityExceptionMapper.class);

    public static final String NOT_AUTHENTICATED = DetailErrors.NOT_AUTHENTICATED;
    public static final String FORBIDDEN = DetailErrors.FORBIDDEN;

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

    /** RFC 6750 §3: a missing, invalid, expired or revoked bearer token. */
    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthenticated(UriInfo uri) {
        TokenAudit.accessRefused(path(uri), 401, "no valid bearer token");
        return unauthenticated();
    }

    private Response unauthenticated() {
        return DetailErrors.unauthenticated("Bearer realm=\"oauth\", error=\"invalid_token\"");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        TokenAudit.accessRefused(path(uri), 403, "token without the right to this endpoint");
        return detail(403, FORBIDDEN);
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return detail(404, e.getMessage());
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e) {
        return detail(409, e.getMessage());
    }

    @ServerExceptionMapper
    public Response tooManyAttempts(TooManyAttemptsException e) {
        return Response.fromResponse(detail(429, e.getMessage()))
                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())))
                .build();
    }

    @ServerExceptionMapper
    public Response invalid(ValidationException e) {
        return DetailErrors.response(400, e.getMessage(), e.errors());
    }

    @ServerExceptionMapper
    public Response composite(CompositeException e, UriInfo uri) {
        Throwable cause = e.getCause();
        if (cause instanceof OAuthException oauth) {
            return oauth(oauth);
        }
        if (cause instanceof AuthenticationFailedException || cause instanceof UnauthorizedException) {
            return unauthenticated(null);
        }
        if (cause instanceof ForbiddenException f) {
            return forbidden(f, null);
        }
        if (cause instanceof NotFoundException n) {
            return notFound(n);
        }
        if (cause instanceof ConflictException c) {
            return conflict(c);
        }
        if (cause instanceof ValidationException v) {
            return invalid(v);
        }
        if (cause instanceof TooManyAttemptsException t) {
            return tooManyAttempts(t);
        }
        if (cause instanceof WebApplicationException w) {
            return webApplication(w, uri);
        }
        if (cause instanceof MismatchedInputException m) {
            return invalidJson(m);
        }
        return unexpected(cause == null ? e : cause);
    }

    /** A JSON body of the wrong shape: the field it concerns and why, never Jackson's words (they name classes). */
    @ServerExceptionMapper
    public Response unreadableJson(MismatchedInputException e) {
        return invalidJson(e);
    }

    private static Response invalidJson(JacksonException e) {
        String field = e instanceof JsonMappingException mapping ? field(mapping) : null;
        if (field == null) {
            String detail = e instanceof MismatchedInputException ? "The body must be one JSON object."
                    : "JSON parse error.";
            return detail(400, detail);
        }
        String message = problem(e);
        return DetailErrors.response(400, message, Map.of(field, List.of(message)));
    }

    /** The top-level field a JSON problem is in (our bodies are flat), or null when it is not in a field. */
    private static String field(JsonMappingException e) {
        return e.getPath().stream().map(JsonMappingException.Reference::getFieldName)
                .filter(Objects::nonNull).findFirst().orElse(null);
    }

    private static String problem(JacksonException e) {
        if (e instanceof StrictJson.InvalidStringException invalid) {
            return invalid.getOriginalMessage();
        }
        Class<?> type = e instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
        if (type == null) {
            return "Invalid value.";
        }
        if (type == String.class) {
            return "Must be a string.";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "Must be an integer.";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "Must be true or false.";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "Must be a list.";
        }
        return "Invalid value.";
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JacksonException json) {
            return invalidJson(json);
        }
        int status = e.getResponse().getStatus();
        String detail = DetailErrors.statusSentence(status, "Bad request.");
        if (ErrorDialect.forPath(path(uri)) == ErrorDialect.OAUTH) {
            // the token, revocation and introspection endpoints answer every refusal as RFC 6749 §5.2 does
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", status >= 500 ? "server_error" : "invalid_request");
            body.put("error_description", detail);
            Response.ResponseBuilder answer = Response.status(status).type(MediaType.APPLICATION_JSON).entity(body)
                    .header(HttpHeaders.CACHE_CONTROL, "no-store").header("Pragma", "no-cache");
            String allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
            return (allow == null ? answer : answer.header(HttpHeaders.ALLOW, allow)).build();
        }
        return detail(status, detail);
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e) {
        LOG.error("unexpected failure", e);
        return detail(500, DetailErrors.SERVER_ERROR);
    }

    static Response detail(int status, String detail) {
        return DetailErrors.response(status, detail);
    }
}
