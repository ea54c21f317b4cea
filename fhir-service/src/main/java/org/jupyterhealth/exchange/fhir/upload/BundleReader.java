package org.jupyterhealth.exchange.fhir.upload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Singleton;

import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.common.upload.UploadEntry;
import org.jupyterhealth.exchange.common.upload.UploadEnvelope;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;

/**
 * Reads an uploaded request body into an upload envelope, checking only the envelope: JSON, a
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

    /** A batch or transaction Bundle, as the bytes of the request body. */
    public Read readBundle(byte[] body, long uploaderUserId, String requestId) {
        return readBundle(text(body), uploaderUserId, requestId);
    }

    /**
     * A batch or transaction Bundle. The body is read once, as a stream of tokens: the Bundle's own fields are
     * read, and each entry's resource is passed on as the exact JSON text the client sent (it is ingest-service's to
     * parse and check), not built into a tree and written out again.
     */
    public Read readBundle(String body, long uploaderUserId, String requestId) {
        checkSize(body);
        Scanned bundle;
        try (JsonParser parser = json.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                parse(body);
                throw invalid("The request body must be a FHIR Bundle (resourceType \"Bundle\").");
            }
            bundle = scan(parser, body);
        } catch (JacksonException e) {
            throw invalid("The request body is not valid JSON.");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!"Bundle".equals(bundle.resourceType.asText())) {
            throw invalid("The request body must be a FHIR Bundle (resourceType \"Bundle\").");
        }
        String type = bundle.type.asText("");
        checkType(type);
        if (bundle.entryNotArray) {
            throw invalid("Bundle.entry must be an array.");
        }
        checkEntryCount(bundle.entryCount);
        String key = bundle.entries.isEmpty() ? Long.toString(uploaderUserId)
                : patientOf(bundle.entries.get(0).resource(), uploaderUserId);
        return new Read(envelope(uploaderUserId, type, requestId, bundle.entries), key);
    }

    /** What a streamed Bundle holds: its own fields as small trees, its entries with their resources' text. */
    private static final class Scanned {
        JsonNode resourceType = MissingNode.getInstance();
        JsonNode type = MissingNode.getInstance();
        boolean entryNotArray;
        int entryCount;
        List<UploadEntry> entries = List.of();
    }

    /** Reads the Bundle object (the parser on its START_OBJECT) to its end; a later field replaces an earlier one. */
    private Scanned scan(JsonParser parser, String body) throws IOException {
        Scanned bundle = new Scanned();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "resourceType" -> bundle.resourceType = tree(parser);
                case "type" -> bundle.type = tree(parser);
                case "entry" -> {
                    bundle.entryNotArray = value != JsonToken.START_ARRAY && value != JsonToken.VALUE_NULL;
                    bundle.entryCount = 0;
                    bundle.entries = new ArrayList<>();
                    if (value == JsonToken.START_ARRAY) {
                        while (parser.nextToken() != JsonToken.END_ARRAY) {
                            bundle.entryCount++;
                            UploadEntry entry = readEntry(parser, body);
                            // past the limit the Bundle is refused: its entries are only counted
                            if (bundle.entryCount <= config.maxEntries()) {
                                bundle.entries.add(entry);
                            }
                        }
                    } else {
                        parser.skipChildren();
                    }
                }
                default -> parser.skipChildren();
            }
        }
        return bundle;
    }

    /** One element of Bundle.entry (the parser on its first token), as the tree reading would have taken it. */
    private UploadEntry readEntry(JsonParser parser, String body) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return new UploadEntry(null, null, null);
        }
        JsonNode resource = null;
        JsonNode request = MissingNode.getInstance();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("resource".equals(field)) {
                if (value == JsonToken.START_OBJECT) {
                    int start = (int) parser.currentTokenLocation().getCharOffset();
                    parser.skipChildren();
                    int end = (int) parser.currentTokenLocation().getCharOffset() + 1;
                    resource = new POJONode(new RawValue(body.substring(start, end)));
                } else {
                    JsonNode tree = tree(parser);
                    resource = tree.isNull() || tree.isMissingNode() ? null : tree;
                }
            } else if ("request".equals(field)) {
                request = tree(parser);
            } else {
                parser.skipChildren();
            }
        }
        return new UploadEntry(resource, text(request.get("method")), text(request.get("url")),
                text(request.get("ifMatch")), null);
    }

    /** The value the parser is on, as a tree (a missing node for none). */
    private static JsonNode tree(JsonParser parser) throws IOException {
        JsonNode tree = parser.readValueAsTree();
        return tree == null ? MissingNode.getInstance() : tree;
    }

    private static void checkType(String type) {
        if (!UploadEnvelope.BATCH.equals(type) && !UploadEnvelope.TRANSACTION.equals(type)) {
            throw new UploadRejectedException(400, "not-supported", "Bundle type '" + EntryOutcome.quote(type)
                    + "' is not supported: only batch and transaction Bundles can be posted.");
        }
    }

    private void checkEntryCount(int entries) {
        if (entries > config.maxEntries()) {
            throw new UploadRejectedException(413, "too-costly", "The Bundle has " + entries
                    + " entries; at most " + config.maxEntries() + " are accepted in one request.");
        }
    }

    /** A single resource posted to {@code /Observation}, as the bytes of the request body. */
    public Read readResource(byte[] body, long uploaderUserId, String requestId) {
        return readResource(text(body), uploaderUserId, requestId);
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

    private String patientOf(JsonNode resource, long uploaderUserId) {
        if (resource instanceof POJONode raw && raw.getPojo() instanceof RawValue text) {
            try {
                resource = json.readTree(text.rawValue().toString());
            } catch (JacksonException e) {
                throw new IllegalStateException("a resource read as JSON is not JSON", e);
            }
        }
        String reference = resource == null ? "" : resource.path("subject").path("reference").asText("");
        return reference.matches("Patient/[0-9]{1,18}") ? reference.substring("Patient/".length())
                : Long.toString(uploaderUserId);
    }

    private UploadEnvelope envelope(long uploaderUserId, String type, String requestId, List<UploadEntry> entries) {
        return new UploadEnvelope(UploadEnvelope.CURRENT_VERSION, UUID.randomUUID(), uploaderUserId, type,
                Instant.now(), requestId, entries);
    }

    /**
     * The body as text, when it is UTF-8, the one encoding of FHIR JSON. A byte sequence that is not UTF-8 refuses
     * the whole request: decoded leniently, it would become U+FFFD and be stored as if the client had sent that.
     */
    private String text(byte[] body) {
        if (body != null && body.length > config.maxBodySize().asLongValue()) {
            throw tooLarge();
        }
        if (body == null || body.length == 0) {
            return "";
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw invalid("The request body is not valid UTF-8 JSON: FHIR JSON is encoded in UTF-8.");
        }
    }

    private void checkSize(String body) {
        if (body == null || body.isBlank()) {
            throw invalid("The request body is empty: a FHIR Bundle in JSON is expected.");
        }
        if (body.length() > config.maxBodySize().asLongValue()) {
            throw tooLarge();
        }
    }

    private UploadRejectedException tooLarge() {
        return new UploadRejectedException(413, "too-long", "The request body exceeds "
                + config.maxBodySize().asLongValue() + " bytes.");
    }

    private JsonNode parse(String body) {
        checkSize(body);
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
