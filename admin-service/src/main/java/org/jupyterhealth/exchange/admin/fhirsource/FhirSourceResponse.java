package org.jupyterhealth.exchange.admin.fhirsource;

import java.time.OffsetDateTime;

/** A FHIR source as the original's clients read it: {@code patient} and {@code dataSource} are ids. */
public record FhirSourceResponse(long id, long patient, long dataSource, String label, String fhirBaseUrl,
        OffsetDateTime lastUpdated) {
}
