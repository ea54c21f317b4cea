package org.jupyterhealth.exchange.fhir.web;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.mutiny.CompositeException;

/**
 * The one exception mapper of fhir-service: every failure is an OperationOutcome whose issue code says what went
 * wrong ({@code login}, {@code forbidden}, {@code not-found}, {@code invalid}, ...), as HAPI FHIR's status-typed
 * exceptions do. Unknown failures are logged with the request id and answered with a generic 500.
 */
public class FhirExceptionMapper {
    private static final Logger LOG = Logger.getLogger(FhirExceptionMapper.class);
    public static final String FHIR_JSON = "application/fhir+json";

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthenticated() {
        return Response.fromResponse(outcome(401, "login", "Authentication credentials were not provided."))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"fhir\"")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return outcome(403, "forbidden", "You do not have permission to perform this action.");
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return switch (status) {
            case 404 -> outcome(404, "not-found", "Not found.");
            case 405 -> outcome(405, "not-supported", "Method not allowed.");
            case 406 -> outcome(406, "not-supported", "Could not satisfy the request Accept header.");
            case 415 -> outcome(415, "not-supported", "Unsupported media type in request.");
            default -> status >= 500 ? outcome(status, "exception", "A server error occurred.")
                    : outcome(status, "invalid", "Bad request.");
        };
    }

    @ServerExceptionMapper
    public Response composite(CompositeException e) {
        Throwable cause = e.getCause();
        if (cause instanceof AuthenticationFailedException || cause instanceof UnauthorizedException) {
            return unauthenticated();
        }
        if (cause instanceof ForbiddenException f) {
            return forbidden(f);
        }
        if (cause instanceof WebApplicationException w) {
            return webApplication(w);
        }
        return unexpected(cause == null ? e : cause);
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e) {
        LOG.error("unexpected failure", e);
        return outcome(500, "exception", "A server error occurred.");
    }

    /** An OperationOutcome with one error issue. */
    public static Response outcome(int status, String code, String diagnostics) {
        Map<String, Object> issue = Map.of("severity", "error", "code", code, "diagnostics", diagnostics);
        Map<String, Object> body = Map.of("resourceType", "OperationOutcome", "issue", List.of(issue));
        return Response.status(status).type(FHIR_JSON).entity(body).build();
    }
}
