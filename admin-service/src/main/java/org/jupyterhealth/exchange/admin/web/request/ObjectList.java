package org.jupyterhealth.exchange.admin.web.request;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

/**
 * A list of objects in a request body ({@code identifiers}, {@code studyScopeConsents}), used as
 * {@code @JsonDeserialize(using = ObjectList.class)}: anything but a list of objects is refused at the list's own
 * path with "Expected a list of objects.", whatever was sent instead; a bad value inside an item is named at its
 * own path ({@code identifiers[0].value}).
 */
public final class ObjectList extends StdDeserializer<List<Object>> implements ContextualDeserializer {
    private static final long serialVersionUID = 1L;
    private static final String MESSAGE = "Expected a list of objects.";

    private final transient JsonDeserializer<Object> items;

    public ObjectList() {
        this(null);
    }

    private ObjectList(JsonDeserializer<Object> items) {
        super(List.class);
        this.items = items;
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
            throws JsonMappingException {
        JavaType item = property.getType().getContentType();
        return new ObjectList(ctxt.findContextualValueDeserializer(item, property));
    }

    @Override
    public List<Object> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (!p.isExpectedStartArrayToken()) {
            throw new InvalidField(p, MESSAGE);
        }
        List<Object> out = new ArrayList<>();
        for (JsonToken token = p.nextToken(); token != JsonToken.END_ARRAY; token = p.nextToken()) {
            if (token != JsonToken.START_OBJECT) {
                throw new InvalidField(p, MESSAGE);
            }
            try {
                out.add(items.deserialize(p, ctxt));
            } catch (JsonMappingException e) {
                throw JsonMappingException.wrapWithPath(e, out, out.size());
            }
        }
        return out;
    }
}
