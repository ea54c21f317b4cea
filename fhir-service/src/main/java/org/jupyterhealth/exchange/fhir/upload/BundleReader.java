package org.jupyterhealth.exchange.fhir.upload;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Singleton;

import org.jupyterhealth.exchange.common.upload.UploadEntry;
import org.jupyterhealth.exchange.common.upload.UploadEnvelope;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads an uploaded request body into an upload envelope, checking only the envelope (DECISIONS #14): JSON, a
 * Bundle, of type batch or transaction, within the entry limit. The entries themselves are ingest-service's to
 * check, one by one; their resources travel as the JSON the client sent.
 */
@Singleton
public class BundleReader {
    private final ObjectMapper json;
    private final UploadConfig config;

    public BundleReader(ObjectMapper json, UploadConfig config) {
        this.json = json;
        this.config = config;
    }

    /** An upload and its record key: the patient id of the first entry, so that a patient's uploads stay in order. */
    public record Read(UploadEnvelope upload, String key) {
    }

    /** A batch or transaction Bundle. */
    public Read readBundle(String body, long uploaderUserId, String requestId) {
        JsonNode root = parse(body);
        if (!root.isObject() || !"Bundle".equals(root.path("resourceType").asText())) {
            throw invalid("The request body must be a FHIR Bundle (resourceType \"Bundle\").");
        }
        String type = root.path("type").asText("");
        if (!UploadEnvelope.BATCH.equals(type) && !UploadEnvelope.TRANSACTION.equals(type)) {
            throw new UploadRejectedException(400, "not-supported", "Bundle type '" + type
                    + "' is not supported: only batch and transaction Bundles can be posted.");
        }
        JsonNode entry = root.path("entry");
        if (!entry.isMissingNode() && !entry.isNull() && !entry.isArray()) {
            throw invalid("Bundle.entry must be an array.");
        }
        if (entry.size() > config.maxEntries()) {
            throw new UploadRejectedException(413, "too-costly", "The Bundle has " + entry.size()
                    + " entries; at most " + config.maxEntries() + " are accepted in one request.");
        }
        List<UploadEntry> entries = new ArrayList<>(entry.size());
        String key = null;
        for (JsonNode item : entry) {
            JsonNode resource = item.get("resource");
            JsonNode request = item.path("request");
            entries.add(new UploadEntry(resource == null || resource.isNull() ? null : resource,
                    text(request.get("method")), text(request.get("url"))));
            if (key == null) {
                key = patientOf(resource, uploaderUserId);
            }
        }
        return new Read(envelope(uploaderUserId, type, requestId, entries),
                key == null ? Long.toString(uploaderUserId) : key);
    }

    /** A single resource posted to {@code /Observation}: an upload of one entry. */
    public Read readResource(String body, long uploaderUserId, String requestId) {
        JsonNode root = parse(body);
        if (!root.isObject()) {
            throw invalid("The request body must be a FHIR resource.");
        }
        return new Read(envelope(uploaderUserId, UploadEnvelope.BATCH, requestId,
                List.of(new UploadEntry(root, "POST", "Observation"))), patientOf(root, uploaderUserId));
    }

    private static String patientOf(JsonNode resource, long uploaderUserId) {
        String reference = resource == null ? "" : resource.path("subject").path("reference").asText("");
        return reference.matches("Patient/[0-9]{1,18}") ? reference.substring("Patient/".length())
                : Long.toString(uploaderUserId);
    }

    private UploadEnvelope envelope(long uploaderUserId, String type, String requestId, List<UploadEntry> entries) {
        return new UploadEnvelope(UploadEnvelope.CURRENT_VERSION, UUID.randomUUID(), uploaderUserId, type,
                Instant.now(), requestId, entries);
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw invalid("The request body is empty: a FHIR Bundle in JSON is expected.");
        }
        if (body.length() > config.maxBodySize().asLongValue()) {
            throw new UploadRejectedException(413, "too-long", "The request body exceeds "
                    + config.maxBodySize().asLongValue() + " bytes.");
        }
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            throw invalid("The request body is not valid JSON.");
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static UploadRejectedException invalid(String message) {
        return new UploadRejectedException(400, "invalid", message);
    }
}
