package org.jupyterhealth.exchange.common.upload;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One observation upload as fhir-service produces it to topic {@code observation-uploads} (key: the patient id of
 * the first entry) and ingest-service consumes it: the FHIR Bundle's entries with who sent them, before any
 * per-entry check. The JSON form of this record is the wire contract between the two services.
 *
 * @param version        format of this envelope; {@link #CURRENT_VERSION} today, anything else is refused
 * @param uploadId       the id fhir-service gave the upload; the idempotency key of its processing
 * @param uploaderUserId the authenticated user who sent the Bundle (the token's {@code sub})
 * @param bundleType     {@code batch} (entries independent), {@code transaction} (all or nothing), or
 *                       {@code delete}: one entry {@code DELETE Observation/{id}}, which only fhir-service's delete
 *                       endpoints produce (a client's Bundle of another type is refused before it is produced), or
 *                       {@code index-refs}: one entry {@code POST FhirSource/{id}} ({@link #indexRefs})
 * @param receivedAt     when fhir-service accepted the request
 * @param requestId      the request id ({@code X-Request-Id}) of the HTTP request, for the logs
 * @param entries        the Bundle's entries, in order
 */
public record UploadEnvelope(int version, UUID uploadId, long uploaderUserId, String bundleType, Instant receivedAt,
        String requestId, List<UploadEntry> entries) {

    public static final int CURRENT_VERSION = 1;
    public static final String BATCH = "batch";
    public static final String TRANSACTION = "transaction";
    /**
     * A patient's deletion of one of its own observations. It travels the upload topic, keyed by the observation's
     * patient, so that it is applied after every upload of that patient produced before it, by the one service that
     * writes the observation store.
     */
    public static final String DELETE = "delete";

    /**
     * A patient's request to index the references of the resources it wrote through one of its FHIR sources
     * ({@code POST /api/v1/fhir_sources/{id}/index_refs}): one entry {@code POST FhirSource/{id}} with that source as
     * its {@code fhirSourceId}. Keyed by the uploader, and applied by the one service that writes the store.
     */
    public static final String INDEX_REFS = "index-refs";

    /** A deletion: one entry {@code DELETE Observation/{id}} for the uploader's own observation. */
    public static UploadEnvelope deletion(long uploaderUserId, long observationId, String requestId) {
        return new UploadEnvelope(CURRENT_VERSION, UUID.randomUUID(), uploaderUserId, DELETE, Instant.now(),
                requestId, List.of(new UploadEntry(null, "DELETE", "Observation/" + observationId)));
    }

    /** A reference indexing of the uploader's FHIR source: one entry {@code POST FhirSource/{id}}. */
    public static UploadEnvelope indexRefs(long uploaderUserId, long fhirSourceId, String requestId) {
        return new UploadEnvelope(CURRENT_VERSION, UUID.randomUUID(), uploaderUserId, INDEX_REFS, Instant.now(),
                requestId, List.of(new UploadEntry(null, "POST", "FhirSource/" + fhirSourceId, null, fhirSourceId)));
    }

    public boolean indexRefs() {
        return INDEX_REFS.equals(bundleType);
    }

    public boolean deletion() {
        return DELETE.equals(bundleType);
    }

    public boolean transactional() {
        return TRANSACTION.equals(bundleType);
    }
}
