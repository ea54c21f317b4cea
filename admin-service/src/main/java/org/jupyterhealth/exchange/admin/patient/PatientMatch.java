package org.jupyterhealth.exchange.admin.patient;

/** A patient of a look-up by e-mail: the full record, or only its summary when the caller may not read it. */
public sealed interface PatientMatch permits PatientResponse, PatientSummary {
}
