package org.jupyterhealth.exchange.common.upload;

/**
 * The outcome of one uploaded entry: {@code 201} with the id of the stored Observation, or an HTTP error status
 * with a FHIR issue code and a message that names the problem (never health data).
 *
 * @param status        HTTP status of the entry: 201, 400, 403, 404, 409, 422 (or 503/500 when the whole upload
 *                      could not be decided)
 * @param observationId the stored Observation's id when {@code status} is 201, else null
 * @param issueCode     FHIR issue type of the failure ({@code invalid}, {@code forbidden}, {@code duplicate}, ...),
 *                      null on success
 * @param diagnostics   the failure message, null on success
 */
public record EntryOutcome(int status, Long observationId, String issueCode, String diagnostics) {

    public static EntryOutcome created(long observationId) {
        return new EntryOutcome(201, observationId, null, null);
    }

    public static EntryOutcome failed(int status, String issueCode, String diagnostics) {
        return new EntryOutcome(status, null, issueCode, diagnostics);
    }

    public boolean created() {
        return status == 201;
    }
}
