package org.jupyterhealth.exchange.admin.patient;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One item of a patient body's {@code identifiers}: an external identifier in a system. */
@Schema(name = "PatientIdentifierRequest")
public record PatientIdentifierRequest(String system, String value) {
}
