package org.jupyterhealth.exchange.fhir.web;

/** Media types fhir-service speaks. */
public final class FhirMediaTypes {
    /** The FHIR JSON media type, answered by default on every FHIR path. */
    public static final String FHIR_JSON = "application/fhir+json";
    /** Plain JSON, accepted and answered for clients that ask for it. */
    public static final String JSON = "application/json";

    private FhirMediaTypes() {
    }
}
