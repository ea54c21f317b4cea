package org.jupyterhealth.exchange.fhir.access;

import jakarta.ws.rs.WebApplicationException;

import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.common.web.DetailErrors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;

/**
 * Turns admin-service's answers into ours, failing closed: its 403 and 404 decisions (the user may not see that
 * organization, study or patient; it does not exist) become our 403 and 404; anything else (unreachable, slow,
 * failing, refusing our service token) becomes 503 and never data.
 */
final class AdminFailures {
    private static final Logger LOG = Logger.getLogger(AdminFailures.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String UNAVAILABLE = "Access decisions are unavailable right now; no data is shown. Try again shortly.";

    private AdminFailures() {
    }

    static Throwable map(Throwable failure) {
        if (failure instanceof BaseServerResponseException) {
            return failure;
        }
        if (failure instanceof WebApplicationException web && web.getResponse() != null) {
            int status = web.getResponse().getStatus();
            String detail = detail(web);
            switch (status) {
                case 400:
                    return new InvalidRequestException(detail == null ? "Invalid filter." : detail);
                case 403:
                    return new ForbiddenOperationException(detail == null ? DetailErrors.FORBIDDEN : detail);
                case 404:
                    return new ResourceNotFoundException(detail == null ? "Not found." : detail);
                default:
                    LOG.warnf("admin-service answered %d to an access question", status);
                    return new UnclassifiedServerFailureException(503, UNAVAILABLE);
            }
        }
        LOG.warnf("admin-service could not be asked: %s", failure.toString());
        return new UnclassifiedServerFailureException(503, UNAVAILABLE);
    }

    private static String detail(WebApplicationException web) {
        try {
            String body = web.getResponse().readEntity(String.class);
            JsonNode node = JSON.readTree(body);
            JsonNode detail = node == null ? null : node.get("detail");
            return detail != null && detail.isTextual() ? detail.asText() : null;
        } catch (RuntimeException | java.io.IOException e) {
            return null;
        }
    }
}
