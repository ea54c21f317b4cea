package org.jupyterhealth.exchange.fhir.export;

/** A kick-off beyond the requester's limit of exports waiting or under way (429). */
public class ExportLimitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ExportLimitException(int limit) {
        super("At most " + limit + " exports of one user may wait or run at once: wait for one to finish, or "
                + "cancel one.");
    }
}
