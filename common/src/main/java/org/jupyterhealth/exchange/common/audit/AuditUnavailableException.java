package org.jupyterhealth.exchange.common.audit;

/**
 * An access that could not be audited: the broker did not take its event in time. With
 * {@code jhe.audit.fail-closed=true} the access is refused with this (a 503 in the path's dialect) rather than
 * served unaudited.
 */
public class AuditUnavailableException extends RuntimeException {
    public static final String MESSAGE = "The audit trail is unavailable right now; nothing was done or shown. "
            + "Try again shortly.";

    public AuditUnavailableException(Throwable cause) {
        super(MESSAGE, cause);
    }
}
