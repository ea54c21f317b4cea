package org.jupyterhealth.exchange.fhir.access;

import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.common.web.DetailErrors;
import org.jupyterhealth.exchange.common.web.SiblingFailure;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;

/**
 * Turns admin-service's answers into ours, failing closed ({@link SiblingFailure}): its 400, 403 and 404 decisions (a
 * filter it cannot read; the user may not see that organization, study or patient; it does not exist) become our
 * 400, 403 and 404; anything else (unreachable, slow, failing, refusing our service token) becomes 503 and never
 * data.
 */
final class AdminFailures {
    private static final Logger LOG = Logger.getLogger(AdminFailures.class);
    static final String UNAVAILABLE = "Access decisions are unavailable right now; no data is shown. Try again shortly.";

    private AdminFailures() {
    }

    static Throwable map(Throwable failure) {
        if (failure instanceof BaseServerResponseException) {
            return failure;
        }
        int status = SiblingFailure.status(failure);
        if (status == 0) {
            LOG.warnf("admin-service could not be asked: %s", failure.toString());
            return new UnclassifiedServerFailureException(503, UNAVAILABLE);
        }
        String detail = SiblingFailure.detail(failure);
        return switch (status) {
            case 400 -> new InvalidRequestException(detail == null ? "Invalid filter." : detail);
            case 403 -> new ForbiddenOperationException(detail == null ? DetailErrors.FORBIDDEN : detail);
            case 404 -> new ResourceNotFoundException(detail == null ? "Not found." : detail);
            default -> {
                LOG.warnf("admin-service answered %d to an access question", status);
                yield new UnclassifiedServerFailureException(503, UNAVAILABLE);
            }
        };
    }
}
