package org.jupyterhealth.exchange.fhir.resource;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A row of the FHIR resource store: the resource's text as written, and the columns its rendering adds. */
public record StoredResource(UUID id, String type, long patientId, long sourceId, long versionId,
        OffsetDateTime lastUpdated, OffsetDateTime clinicalDate, String json) {
}
