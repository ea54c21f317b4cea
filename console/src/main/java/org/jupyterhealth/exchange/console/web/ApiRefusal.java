package org.jupyterhealth.exchange.console.web;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The admin API's refusal of a change the user asked for, read once so that a form can show it next to its field:
 * its status, its {@code detail} sentence and its field errors ({@code {"errors": {field: [message]}}}). Only a 400 or
 * a 409 is a refusal of what was typed; any other failure (403, 404, an unreachable service) is left to
 * {@link ErrorPages}. The admin API's messages name ids and fields, never tokens or health data.
 */
record ApiRefusal(int status, String detail, Map<String, String> fields) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether the failure is the admin API refusing the form's content (400 or 409). */
    static boolean isRefusal(Throwable failure) {
        if (failure instanceof WebApplicationException web && web.getResponse() != null) {
            int status = web.getResponse().getStatus();
            return status == 400 || status == 409;
        }
        return false;
    }

    /** The refusal's status, sentence and field errors (the first message of each field). */
    static ApiRefusal of(Throwable failure) {
        Response response = ((WebApplicationException) failure).getResponse();
        Map<String, String> fields = new LinkedHashMap<>();
        String detail = null;
        try {
            JsonNode body = JSON.readTree(response.readEntity(String.class));
            if (body != null && body.path("detail").isTextual()) {
                detail = body.path("detail").asText();
            }
            if (body != null && body.path("errors").isObject()) {
                body.path("errors").fields().forEachRemaining(e -> {
                    JsonNode first = e.getValue().isArray() ? e.getValue().path(0) : e.getValue();
                    if (first.isTextual()) {
                        fields.put(e.getKey(), first.asText());
                    }
                });
            }
        } catch (RuntimeException | java.io.IOException unreadable) {
            // no readable body: the generic sentence below
        }
        return new ApiRefusal(response.getStatus(),
                detail != null ? detail : "The exchange did not accept this change.", fields);
    }

    /** The message for one field: its own error, else the sentence when it names no field. */
    String forField(String field) {
        return fields.getOrDefault(field, detail);
    }
}
