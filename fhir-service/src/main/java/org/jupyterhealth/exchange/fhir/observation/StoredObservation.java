package org.jupyterhealth.exchange.fhir.observation;

import java.time.OffsetDateTime;
import java.util.List;

import org.jupyterhealth.exchange.fhir.directory.Records.Identifier;

/** A row of the observation store, as read for rendering. */
public record StoredObservation(long id, long patientId, Long codeId, String system, String code, Long dataSourceId,
        String status,
        String omhJson, OffsetDateTime effectiveDateTime, OffsetDateTime effectivePeriodStart,
        OffsetDateTime effectivePeriodEnd, OffsetDateTime effectiveAt, OffsetDateTime lastUpdated,
        List<Identifier> identifiers) {
}
