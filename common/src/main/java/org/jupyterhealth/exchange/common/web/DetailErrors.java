package org.jupyterhealth.exchange.common.web;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The admin API's error dialect, {@code {"detail": ...}} (plus {@code "errors": {field: [message]}} for field
 * errors), in which admin-service, identity-service outside its OAuth endpoints and fhir-service on
 * {@code /api/v1/observations} answer (docs/compatibility.md#errors). Its 401 and 403 sentences are the guide's, word
 * for word: clients compare them.
 */
public final class DetailErrors {
    /** The guide's 401: a missing, invalid, expired or revoked bearer token. */
    public static final String NOT_AUTHENTICATED = "Authentication credentials were not provided.";
    /** The guide's 403: an authenticated caller without the right. */
    public static final String FORBIDDEN = "You do not have permission to perform this action.";
    /** The generic 500 and 5xx sentence: what failed is logged, never told. */
    public static final String SERVER_ERROR = "A server error occurred.";

    private DetailErrors() {
    }

    /** The body {@code {"detail": detail}}, with {@code "errors"} after it when there are any. */
    public static Map<String, Object> body(String detail, Map<String, ?> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("detail", detail);
        if (errors != null) {
            body.put("errors", errors);
        }
        return body;
    }

    /** An answer {@code {"detail": detail}} with this status. */
    public static Response response(int status, String detail) {
        return response(status, detail, null);
    }

    /** An answer {@code {"detail": detail, "errors": errors}} with this status ({@code errors} left out if null). */
    public static Response response(int status, String detail, Map<String, ?> errors) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body(detail, errors)).build();
    }

    /** The 401 with its RFC 6750 §3 challenge ({@code Bearer realm=...}), which differs by service. */
    public static Response unauthenticated(String challenge) {
        return Response.fromResponse(response(401, NOT_AUTHENTICATED))
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge)
                .build();
    }

    /**
     * The sentence for a status that the HTTP layer decided before any of the service's code ran (no route, wrong
     * method, unacceptable media type).
     *
     * @param otherClientError the sentence for any other 4xx, which differs by service
     */
    public static String statusSentence(int status, String otherClientError) {
        return switch (status) {
            case 404 -> "Not found.";
            case 405 -> "Method not allowed.";
            case 406 -> "Could not satisfy the request Accept header.";
            case 415 -> "Unsupported media type in request.";
            default -> status >= 500 ? SERVER_ERROR : otherClientError;
        };
    }
}
