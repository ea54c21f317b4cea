package org.jupyterhealth.exchange.fhir.upload;

/**
 * What a created entry of a {@code batch-response} carries, as the client's {@code Prefer: return=} asks: the
 * stored resource ({@code representation}, the default, so that {@code entry.resource.id} is there as the
 * original's clients read it), nothing but the response ({@code minimal}), or an OperationOutcome
 * ({@code OperationOutcome}).
 */
public enum ReturnPreference {
    REPRESENTATION, MINIMAL, OPERATION_OUTCOME
}
