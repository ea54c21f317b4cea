package org.jupyterhealth.exchange.common.upload;

/**
 * One entry of an uploaded Bundle, as received: checked only by ingest-service.
 *
 * @param resource the entry's {@code resource} as JSON text, or null when the entry had none
 * @param method   the entry's {@code request.method}, or null
 * @param url      the entry's {@code request.url}, or null
 */
public record UploadEntry(String resource, String method, String url) {
}
