package org.jupyterhealth.exchange.admin.access;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.jupyterhealth.exchange.admin.access.AccessService.UploadEntry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * The body of {@code POST /internal/access/uploads} (docs/internal-api.md): the uploader, and the entries to judge.
 * {@code userId} is null when the body has no valid one. The entries are an uploader's data: an entry's id that is
 * not an integer counts as absent and a code that is not a string as unknown, so that each odd entry is refused on
 * its own rather than failing the whole upload; {@code entries} that are not a list are no entries.
 */
@JsonDeserialize(using = UploadsRequest.Reader.class)
public record UploadsRequest(Long userId, List<UploadEntry> entries) {

    /** Reads what the body holds leniently, as above; a body that is not a JSON object reads as no request. */
    static final class Reader extends JsonDeserializer<UploadsRequest> {
        @Override
        public UploadsRequest deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode json = context.readTree(parser);
            if (json == null || !json.isObject()) {
                return null;
            }
            JsonNode items = json.get("entries");
            List<UploadEntry> entries = new ArrayList<>();
            if (items != null && items.isArray()) {
                for (JsonNode entry : items) {
                    entries.add(new UploadEntry(id(entry.get("patientId")), text(entry.get("system")),
                            text(entry.get("code")), id(entry.get("dataSourceId"))));
                }
            }
            return new UploadsRequest(id(json.get("userId")), entries);
        }

        private static Long id(JsonNode value) {
            if (value != null && value.isIntegralNumber() && value.canConvertToLong()) {
                return value.longValue();
            }
            if (value != null && value.isTextual() && value.textValue().matches("[0-9]{1,18}")) {
                return Long.parseLong(value.textValue());
            }
            return null;
        }

        private static String text(JsonNode value) {
            return value != null && value.isTextual() ? value.textValue() : null;
        }
    }
}
