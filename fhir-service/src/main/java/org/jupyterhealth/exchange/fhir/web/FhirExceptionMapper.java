package org.jupyterhealth.exchange.fhir.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r5.model.OperationOutcome.IssueType;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jupyterhealth.exchange.common.web.DetailErrors;
import org.jupyterhealth.exchange.fhir.search.SearchParameters;

import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import ca.uhn.fhir.rest.server.exceptions.NotImplementedOperationException;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.mutiny.CompositeException;

/**
 * The one exception mapper of fhir-service. Failures are HAPI FHIR's status-typed exceptions
 * ({@link InvalidRequestException} 400, {@link ForbiddenOperationException} 403, {@link ResourceNotFoundException}
 * 404, {@link UnclassifiedServerFailureException} 503, ...). On FHIR paths they are answered as an
 * OperationOutcome whose issue code says what went wrong ({@code login}, {@code forbidden}, {@code not-found},
 * {@code invalid}, {@code transient}, ...); on {@code /api/v1/observations} in the admin dialect,
 * {@code {"detail": "..."}}. Unknown failures are logged with the request id and answered with a generic 500.
 */
public class FhirExceptionMapper {
    private static final Logger LOG = Logger.getLogger(FhirExceptionMapper.class);
    public static final String FHIR_JSON = FhirMediaTypes.FHIR_JSON;
    private static final Pattern UNKNOWN_TYPE =
            Pattern.compile("/fhir/r5/([A-Z][A-Za-z]*)(?:/[^/]*)?(?:/_search)?");
    static final String NOT_AUTHENTICATED = DetailErrors.NOT_AUTHENTICATED;

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthenticated(UriInfo uri) {
        boolean admin = isAdminDialect(uri);
        return Response.fromResponse(admin ? detail(401, NOT_AUTHENTICATED)
                : outcome(401, IssueType.LOGIN, NOT_AUTHENTICATED))
                .header(HttpHeaders.WWW_AUTHENTICATE, admin ? "Bearer realm=\"api\"" : "Bearer realm=\"fhir\"")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return answer(uri, 403, IssueType.FORBIDDEN, DetailErrors.FORBIDDEN);
    }

    @ServerExceptionMapper
    public Response fhir(BaseServerResponseException e, UriInfo uri) {
        if (!isAdminDialect(uri) && e.getOperationOutcome() instanceof OperationOutcome given) {
            return Response.status(e.getStatusCode()).type(FHIR_JSON).entity(given).build();
        }
        if (e.getStatusCode() >= 500 && !(e instanceof UnclassifiedServerFailureException)) {
            LOG.error("server failure", e);
        }
        return answer(uri, e.getStatusCode(), issueType(e), e.getMessage());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        return switch (status) {
            case 404 -> notFound(uri);
            case 405 -> answer(uri, 405, IssueType.NOTSUPPORTED, "Method not allowed.");
            case 406 -> answer(uri, 406, IssueType.NOTSUPPORTED, "Could not satisfy the request Accept header.");
            case 415 -> answer(uri, 415, IssueType.NOTSUPPORTED, "Unsupported media type in request.");
            default -> status >= 500 ? answer(uri, status, IssueType.EXCEPTION, "A server error occurred.")
                    : answer(uri, status, IssueType.INVALID, "Bad request.");
        };
    }

    @ServerExceptionMapper
    public Response composite(CompositeException e, UriInfo uri) {
        Throwable cause = e.getCause();
        if (cause instanceof AuthenticationFailedException || cause instanceof UnauthorizedException) {
            return unauthenticated(uri);
        }
        if (cause instanceof ForbiddenException f) {
            return forbidden(f, uri);
        }
        if (cause instanceof BaseServerResponseException b) {
            return fhir(b, uri);
        }
        if (cause instanceof WebApplicationException w) {
            return webApplication(w, uri);
        }
        return unexpected(cause == null ? e : cause, uri);
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e, UriInfo uri) {
        LOG.error("unexpected failure", e);
        return answer(uri, 500, IssueType.EXCEPTION, "A server error occurred.");
    }

    /** A path nothing serves; under the FHIR base, an unknown resource type says so. */
    private static Response notFound(UriInfo uri) {
        String path = uri == null ? "" : uri.getPath();
        Matcher type = UNKNOWN_TYPE.matcher(path == null ? "" : path);
        if (type.matches() && !SearchParameters.isSupportedType(type.group(1))) {
            String name = type.group(1).length() > 64 ? type.group(1).substring(0, 64) : type.group(1);
            return outcome(404, IssueType.NOTSUPPORTED, "Unsupported FHIR resource type: " + name + ".");
        }
        return answer(uri, 404, IssueType.NOTFOUND, "Not found.");
    }

    /** The FHIR issue type for one of HAPI FHIR's status-typed exceptions. */
    static IssueType issueType(BaseServerResponseException e) {
        if (e instanceof InvalidRequestException) {
            return IssueType.INVALID;
        } else if (e instanceof AuthenticationException) {
            return IssueType.LOGIN;
        } else if (e instanceof ForbiddenOperationException) {
            return IssueType.FORBIDDEN;
        } else if (e instanceof ResourceNotFoundException || e instanceof ResourceGoneException) {
            return IssueType.NOTFOUND;
        } else if (e instanceof MethodNotAllowedException || e instanceof NotImplementedOperationException) {
            return IssueType.NOTSUPPORTED;
        } else if (e instanceof ResourceVersionConflictException) {
            return IssueType.CONFLICT;
        } else if (e instanceof PayloadTooLargeException) {
            return IssueType.TOOCOSTLY;
        } else if (e instanceof UnprocessableEntityException) {
            return IssueType.PROCESSING;
        } else if (e instanceof UnclassifiedServerFailureException && e.getStatusCode() == 503) {
            return IssueType.TRANSIENT;
        } else if (e instanceof InternalErrorException) {
            return IssueType.EXCEPTION;
        }
        return e.getStatusCode() >= 500 ? IssueType.EXCEPTION : IssueType.PROCESSING;
    }

    private static boolean isAdminDialect(UriInfo uri) {
        String path = uri == null ? null : uri.getPath();
        return path != null && path.startsWith("/api/");
    }

    private static Response answer(UriInfo uri, int status, IssueType type, String message) {
        return isAdminDialect(uri) ? detail(status, message) : outcome(status, type, message);
    }

    /** An OperationOutcome with one error issue. */
    public static Response outcome(int status, IssueType type, String diagnostics) {
        return Response.status(status).type(FHIR_JSON).entity(operationOutcome(type, diagnostics)).build();
    }

    /** An OperationOutcome resource with one error issue. */
    public static OperationOutcome operationOutcome(IssueType type, String diagnostics) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(type).setDiagnostics(diagnostics);
        return outcome;
    }

    /** The admin API's error body. */
    public static Response detail(int status, String message) {
        return DetailErrors.response(status, message);
    }
}
