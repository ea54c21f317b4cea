package org.jupyterhealth.exchange.admin.web.request;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

/**
 * A list of ids in a request body ({@code patientIds}), used as {@code @JsonDeserialize(using = IdList.class)}: a
 * JSON list whose items are each an id as {@link RequestJson} reads one. A lone id is refused rather than read as a
 * list of one, and every refusal names the list itself: guessing what a client meant is how a wrong patient gets
 * enrolled or removed.
 */
public final class IdList extends StdDeserializer<List<Long>> {
    private static final long serialVersionUID = 1L;
    private static final RequestJson.IdDeserializer ID = new RequestJson.IdDeserializer();

    public IdList() {
        super(List.class);
    }

    @Override
    public List<Long> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (!p.isExpectedStartArrayToken()) {
            throw new InvalidField(p, "Expected a list of integers.");
        }
        List<Long> out = new ArrayList<>();
        for (JsonToken token = p.nextToken(); token != JsonToken.END_ARRAY; token = p.nextToken()) {
            Long id = null;
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_STRING) {
                try {
                    id = ID.deserialize(p, ctxt);
                } catch (InvalidField e) {
                    id = null;
                }
            }
            if (id == null) {
                throw new InvalidField(p, "Each item must be an integer.");
            }
            out.add(id);
        }
        return out;
    }
}
