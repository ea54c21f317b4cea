package org.jupyterhealth.exchange.common.upload;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of an uploaded Bundle, as received: checked only by ingest-service. The resource travels as the JSON
 * object the client sent (inline in the envelope, not re-encoded as text), so that each side reads and writes it
 * once.
 *
 * @param resource the entry's {@code resource} (normally a JSON object), or null when the entry had none
 * @param method   the entry's {@code request.method}, or null
 * @param url      the entry's {@code request.url}, or null
 * @param ifMatch  the entry's {@code request.ifMatch} (a single update's {@code If-Match} header), or null
 * @param fhirSourceId the FHIR source named by the request's {@code X-JHE-FHIR-Source-ID} header, or null; it
 *                 outranks the resource's own {@code meta.source} (docs/compatibility.md#fhir-resource-store)
 */
public record UploadEntry(JsonNode resource, String method, String url, String ifMatch, Long fhirSourceId) {

    public UploadEntry(JsonNode resource, String method, String url) {
        this(resource, method, url, null, null);
    }

    /** The same entry, written to the FHIR source the request names. */
    public UploadEntry withFhirSource(Long sourceId) {
        return sourceId == null ? this : new UploadEntry(resource, method, url, ifMatch, sourceId);
    }
}
