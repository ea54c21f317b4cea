package org.jupyterhealth.exchange.common.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The error body a client expects on a given path, for the answers given before any service code runs (the
 * gateway's 404, 413, 429 and 502-504, a stopping service's 503): FHIR paths answer an OperationOutcome; the OAuth
 * endpoints that clients call with their credentials (token, revocation, introspection) an RFC 6749 error; every
 * other path the admin API's {@code {"detail": ...}}.
 */
public enum ErrorDialect {
    DETAIL("application/json"),
    OAUTH("application/json"),
    FHIR("application/fhir+json");

    /** The endpoints whose errors are RFC 6749 §5.2 bodies (RFC 7009 and RFC 7662 answer the same way). */
    private static final String[] OAUTH_ENDPOINTS = { "/o/token", "/o/revoke_token", "/o/introspect" };

    private final String contentType;

    ErrorDialect(String contentType) {
        this.contentType = contentType;
    }

    /**
     * The dialect of a request's path as routing sees it (dot segments and escapes of unreserved characters
     * resolved), or of the path as it came when it cannot be normalised (a malformed percent-escape).
     */
    public static ErrorDialect forRequest(RoutingContext ctx) {
        String path;
        try {
            path = ctx.normalizedPath();
        } catch (IllegalArgumentException malformed) {
            path = ctx.request().path();
        }
        return forPath(path);
    }

    public static ErrorDialect forPath(String path) {
        if (path == null) {
            return DETAIL;
        }
        if (path.startsWith("/fhir/") || path.startsWith("/FHIR/") || path.equals("/fhir") || path.equals("/FHIR")) {
            return FHIR;
        }
        for (String endpoint : OAUTH_ENDPOINTS) {
            if (path.startsWith(endpoint) && (path.length() == endpoint.length()
                    || path.charAt(endpoint.length()) == '/' || path.charAt(endpoint.length()) == ';')) {
                return OAUTH;
            }
        }
        return DETAIL;
    }

    public String contentType() {
        return contentType;
    }

    /** The body for {@code status} with a human-readable {@code message}. */
    public Buffer body(int status, String message) {
        return switch (this) {
            case DETAIL -> new JsonObject().put("detail", message).toBuffer();
            case OAUTH -> new JsonObject().put("error", oauthError(status)).put("error_description", message)
                    .toBuffer();
            case FHIR -> new JsonObject()
                    .put("resourceType", "OperationOutcome")
                    .put("issue", new JsonArray().add(new JsonObject()
                            .put("severity", "error")
                            .put("code", fhirIssueCode(status))
                            .put("diagnostics", message)))
                    .toBuffer();
        };
    }

    /** FHIR IssueType code for a failure answered before any service code ran. */
    static String fhirIssueCode(int status) {
        return switch (status) {
            case 400 -> "invalid";
            case 404 -> "not-found";
            case 413 -> "too-long";
            case 429 -> "throttled";
            case 504 -> "timeout";
            case 502, 503 -> "transient";
            default -> "processing";
        };
    }

    /**
     * RFC 6749 error code for a failure answered before any service code ran: the request itself is at fault
     * ({@code invalid_request}), or the server cannot take it now ({@code temporarily_unavailable}, as
     * identity-service answers its own 429).
     */
    static String oauthError(int status) {
        return status == 429 || status >= 500 ? "temporarily_unavailable" : "invalid_request";
    }
}
