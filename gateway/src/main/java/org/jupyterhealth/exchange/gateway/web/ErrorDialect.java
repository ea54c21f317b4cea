package org.jupyterhealth.exchange.gateway.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The error body a client expects on a given path: FHIR paths answer an OperationOutcome, every other path the
 * admin API's {@code {"detail": ...}}.
 */
public enum ErrorDialect {
    DETAIL("application/json"),
    FHIR("application/fhir+json");

    private final String contentType;

    ErrorDialect(String contentType) {
        this.contentType = contentType;
    }

    public static ErrorDialect forPath(String path) {
        if (path != null && (path.startsWith("/fhir/") || path.startsWith("/FHIR/")
                || path.equals("/fhir") || path.equals("/FHIR"))) {
            return FHIR;
        }
        return DETAIL;
    }

    public String contentType() {
        return contentType;
    }

    /** The body for {@code status} with a human-readable {@code message}. */
    public Buffer body(int status, String message) {
        if (this == DETAIL) {
            return new JsonObject().put("detail", message).toBuffer();
        }
        JsonObject issue = new JsonObject()
                .put("severity", "error")
                .put("code", fhirIssueCode(status))
                .put("diagnostics", message);
        return new JsonObject()
                .put("resourceType", "OperationOutcome")
                .put("issue", new JsonArray().add(issue))
                .toBuffer();
    }

    /** FHIR IssueType code for a gateway-level failure. */
    static String fhirIssueCode(int status) {
        return switch (status) {
            case 404 -> "not-found";
            case 413 -> "too-long";
            case 429 -> "throttled";
            case 504 -> "timeout";
            case 502, 503 -> "transient";
            default -> "processing";
        };
    }
}
