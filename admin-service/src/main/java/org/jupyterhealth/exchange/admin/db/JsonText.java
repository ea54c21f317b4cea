package org.jupyterhealth.exchange.admin.db;

import java.io.IOException;

import org.jupyterhealth.exchange.admin.web.JsonParsing;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.vertx.core.json.Json;

/**
 * A JSON value of any shape, as its text: what a client gives as a setting's value, and what a {@code jsonb} column
 * holds (a setting's value, a practitioner's settings). Read from a body as it was sent and written into an answer
 * verbatim, so that the service that judges it ({@link #tree}) and the answer that shows it need no untyped
 * container.
 */
@JsonSerialize(using = JsonText.Writer.class)
@JsonDeserialize(using = JsonText.Reader.class)
public record JsonText(String json) {
    /**
     * Writes a value read from a body. A number beyond a double's range was read as infinite: it is written as the
     * bare {@code Infinity}, not as the string {@code "Infinity"}, so that {@link #tree} reads it back as the
     * number the client sent and a rule refuses it as such.
     */
    private static final ObjectMapper TEXT = JsonMapper.builder()
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();
    private static final ObjectReader TREE = JsonParsing.apply(JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build()).reader();

    /** A value read from a {@code jsonb} column (an object, a list, a string, a number or a boolean; null: null). */
    public static JsonText of(Object stored) {
        return new JsonText(Json.encode(stored));
    }

    /** The value as a tree, to be judged (it was read from valid JSON: it reads back). */
    public JsonNode tree() {
        try {
            return TREE.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class Reader extends JsonDeserializer<JsonText> {
        @Override
        public JsonText deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode value = context.readTree(parser);
            return new JsonText(TEXT.writeValueAsString(value));
        }
    }

    static final class Writer extends JsonSerializer<JsonText> {
        @Override
        public void serialize(JsonText value, JsonGenerator generator, SerializerProvider serializers)
                throws IOException {
            generator.writeRawValue(value.json());
        }
    }
}
