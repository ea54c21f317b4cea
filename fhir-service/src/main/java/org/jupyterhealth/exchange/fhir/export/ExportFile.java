package org.jupyterhealth.exchange.fhir.export;

/** A row of {@code fhir.export_file}: one NDJSON file of a job ({@code kind} output or error). */
public record ExportFile(int seq, String name, String resourceType, String kind, long resources, long bytes) {
}
