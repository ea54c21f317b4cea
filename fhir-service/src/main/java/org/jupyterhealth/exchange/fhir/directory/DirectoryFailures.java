package org.jupyterhealth.exchange.fhir.directory;

import org.jboss.logging.Logger;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;

/** A failed record lookup at admin-service: 503, never partial data. */
final class DirectoryFailures {
    private static final Logger LOG = Logger.getLogger(DirectoryFailures.class);

    private DirectoryFailures() {
    }

    static Throwable map(Throwable failure) {
        if (failure instanceof BaseServerResponseException) {
            return failure;
        }
        LOG.warnf("admin-service records could not be read: %s", failure.toString());
        return new UnclassifiedServerFailureException(503,
                "Records are unavailable right now; no data is shown. Try again shortly.");
    }
}
