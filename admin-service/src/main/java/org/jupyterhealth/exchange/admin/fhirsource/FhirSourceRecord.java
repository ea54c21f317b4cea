package org.jupyterhealth.exchange.admin.fhirsource;

/**
 * A FHIR source for the services that store and serve its resources ({@code GET /internal/fhir_sources/{id}},
 * docs/internal-api.md): whose resources they are and which server they were copied from.
 */
public record FhirSourceRecord(long id, long patientId, long dataSourceId, String label, String fhirBaseUrl) {

    static FhirSourceRecord of(FhirSourceResponse source) {
        return new FhirSourceRecord(source.id(), source.patient(), source.dataSource(), source.label(),
                source.fhirBaseUrl());
    }
}
