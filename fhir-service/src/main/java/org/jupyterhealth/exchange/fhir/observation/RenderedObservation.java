package org.jupyterhealth.exchange.fhir.observation;

import org.jupyterhealth.exchange.fhir.directory.Records.CodeRecord;
import org.jupyterhealth.exchange.fhir.directory.Records.PatientRecord;

/** A stored observation with what its rendering needs: its patient's record and its code's record (either may be null). */
public record RenderedObservation(StoredObservation row, PatientRecord patient, CodeRecord code) {
}
