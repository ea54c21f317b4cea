package org.jupyterhealth.exchange.admin.patient;

import java.util.List;

import org.jupyterhealth.exchange.admin.patient.PatientResponse.Identifier;

/**
 * A patient found by e-mail that the caller shares no organization with: its ids and identifiers, no health data
 * ({@code GET /patients/global_lookup}).
 */
public record PatientSummary(long id, Long jheUserId, List<Identifier> identifiers) implements PatientMatch {
}
