package org.jupyterhealth.exchange.fhir.access;

/** A coded data type, such as {@code https://w3id.org/openmhealth|omh:blood-pressure:4.0}. */
public record CodeKey(String system, String code) {
}
