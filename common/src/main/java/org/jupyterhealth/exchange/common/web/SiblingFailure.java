package org.jupyterhealth.exchange.common.web;

import java.io.IOException;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How a call to a sibling service failed, for a caller that fails closed (docs/architecture.md#access-decisions): the
 * sibling's own decision, which the caller may pass on in its dialect (its status and {@code {"detail"}} sentence),
 * or no decision at all (unreachable, timed out, failing, refusing the caller's service token), which is the caller's
 * 503 and never an allowed access, a guess or data.
 */
public final class SiblingFailure {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SiblingFailure() {
    }

    /** The status the sibling answered with, or 0 when it gave no answer. */
    public static int status(Throwable failure) {
        Response response = failure instanceof WebApplicationException web ? web.getResponse() : null;
        return response == null ? 0 : response.getStatus();
    }

    /** The sibling's {@code {"detail"}} sentence, or null when its answer has none. */
    public static String detail(Throwable failure) {
        if (!(failure instanceof WebApplicationException web) || web.getResponse() == null) {
            return null;
        }
        try {
            JsonNode body = JSON.readTree(web.getResponse().readEntity(String.class));
            JsonNode detail = body == null ? null : body.get("detail");
            return detail != null && detail.isTextual() ? detail.asText() : null;
        } catch (RuntimeException | IOException unreadable) {
            return null;
        }
    }
}
