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
 */
public record UploadEntry(JsonNode resource, String method, String url) {
}
