package org.jupyterhealth.exchange.admin.web;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jupyterhealth.exchange.common.web.DetailErrors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.mutiny.CompositeException;
import io.vertx.pgclient.PgException;

/**
 * The one exception mapper of admin-service, in the admin API's dialect: {@code {"detail": ...}} (plus
 * {@code "errors": {field: [msg]}} for field errors) with the guide's exact wording for 401 and 403, and a generic
 * 500 (logged with the request id) for what nobody anticipated.
 */
public class AdminExceptionMapper {
    private static final Logger LOG = Logger.getLogger(AdminExceptionMapper.class);

    public static final String NOT_AUTHENTICATED = DetailErrors.NOT_AUTHENTICATED;
    public static final String FORBIDDEN = DetailErrors.FORBIDDEN;

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthenticated() {
        return DetailErrors.unauthenticated("Bearer realm=\"api\"");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return detail(403, FORBIDDEN);
    }

    @ServerExceptionMapper
    public Response refused(AdminException e) {
        boolean fieldErrors = e.errors() != null && !e.errors().isEmpty();
        return DetailErrors.response(e.status(), e.detail(), fieldErrors ? e.errors() : null);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        return detail(400, "JSON parse error: the request body is not valid JSON of the expected shape.");
    }

    /** Also a body that is more than one JSON value (Quarkus would answer this one with an empty 400). */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response database(PgException e) {
        return switch (e.getSqlState() == null ? "" : e.getSqlState()) {
            case "23505" -> detail(409, "This would duplicate an existing record.");
            case "23503" -> detail(409, "This record is still referenced, or refers to a record that does not exist.");
            case "22001", "22003", "22007", "22008", "22021", "22P02", "22P05", "23502", "23514" ->
                detail(400, "A value in the request is out of range or of the wrong form.");
            default -> unexpected(e);
        };
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return detail(status, DetailErrors.statusSentence(status, status == 400 ? "Bad request." : "Request refused."));
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
        if (cause instanceof AdminException a) {
            return refused(a);
        }
        if (cause instanceof PgException p) {
            return database(p);
        }
        if (cause instanceof JsonProcessingException j) {
            return unreadableJson(j);
        }
        if (cause instanceof WebApplicationException w) {
            return webApplication(w);
        }
        return unexpected(cause == null ? e : cause);
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e) {
        LOG.error("unexpected failure", e);
        return detail(500, DetailErrors.SERVER_ERROR);
    }

    public static Response detail(int status, String detail) {
        return DetailErrors.response(status, detail);
    }
}
