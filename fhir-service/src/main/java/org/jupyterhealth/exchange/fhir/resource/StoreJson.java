package org.jupyterhealth.exchange.fhir.resource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A stored resource as it is served: its text, led by its type, its id and its {@code meta} with the row's version
 * and time of last update (the text holds neither).
 */
public final class StoreJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StoreJson() {
    }

    public static ObjectNode render(StoredResource row) {
        try {
            JsonNode stored = JSON.readTree(row.json());
            ObjectNode resource = JSON.createObjectNode();
            resource.put("resourceType", row.type());
            resource.put("id", row.id().toString());
            ObjectNode meta = resource.putObject("meta");
            meta.put("versionId", Long.toString(row.versionId()));
            meta.put("lastUpdated", lastUpdated(row));
            if (stored.get("meta") instanceof ObjectNode storedMeta) {
                storedMeta.properties().forEach(e -> meta.putIfAbsent(e.getKey(), e.getValue()));
            }
            stored.properties().forEach(e -> resource.putIfAbsent(e.getKey(), e.getValue()));
            return resource;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String lastUpdated(StoredResource row) {
        return DateTimeFormatter.ISO_INSTANT.format(row.lastUpdated().toInstant());
    }

    /** The weak ETag of the row's version. */
    public static String etag(StoredResource row) {
        return "W/\"" + row.versionId() + "\"";
    }
}
