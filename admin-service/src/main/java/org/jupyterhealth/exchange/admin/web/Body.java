package org.jupyterhealth.exchange.admin.web;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A JSON request body read by camelCase field name, whichever spelling the client sent (DECISIONS #4), with typed
 * getters that turn a wrong type into a 400 naming the field. An absent body reads as {@code {}}.
 */
public final class Body {
    private final ObjectNode node;

    private Body(ObjectNode node) {
        this.node = node;
    }

    public static Body of(JsonNode json) {
        if (json == null || json.isNull() || json.isMissingNode()) {
            return new Body(JsonNodeFactory.instance.objectNode());
        }
        if (!json.isObject()) {
            throw Errors.invalid("The request body must be a JSON object.");
        }
        return new Body((ObjectNode) Json.camelizeKeys(json.deepCopy()));
    }

    public boolean has(String field) {
        return node.has(field);
    }

    public JsonNode node(String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    public ObjectNode json() {
        return node;
    }

    public String string(String field) {
        JsonNode value = node(field);
        if (value == null) {
            return null;
        }
        if (value.isTextual() || value.isNumber() || value.isBoolean()) {
            return value.asText();
        }
        throw Errors.invalid(field, "Not a valid string.");
    }

    /** A string that must be present and not blank. */
    public String requiredString(String field) {
        String value = string(field);
        if (value == null || value.isBlank()) {
            throw Errors.invalid(field, "This field is required.");
        }
        return value.trim();
    }

    /** A strict string: numbers and booleans are refused (as a serializer's CharField with a strict client). */
    public String text(String field) {
        JsonNode value = node(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw Errors.invalid(field, "Not a valid string.");
        }
        return value.asText();
    }

    public Long id(String field) {
        JsonNode value = node(field);
        if (value == null || (value.isTextual() && value.asText().isBlank())) {
            return null;
        }
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isTextual()) {
            try {
                return Long.parseLong(value.asText().trim());
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw Errors.invalid(field, "A valid integer is required.");
    }

    public long requiredId(String field) {
        Long value = id(field);
        if (value == null) {
            throw Errors.invalid(field, "This field is required.");
        }
        return value;
    }

    public Boolean bool(String field) {
        JsonNode value = node(field);
        if (value == null) {
            return null;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        String text = value.asText().trim().toLowerCase();
        return switch (text) {
            case "true", "1", "yes", "on", "y", "t" -> true;
            case "false", "0", "no", "off", "n", "f" -> false;
            default -> throw Errors.invalid(field, "Must be a valid boolean.");
        };
    }

    /** A list of ids ({@code [1, 2]}, or a single id). */
    public List<Long> ids(String field) {
        JsonNode value = node(field);
        List<Long> ids = new ArrayList<>();
        if (value == null) {
            return ids;
        }
        if (!value.isArray()) {
            Long one = id(field);
            if (one != null) {
                ids.add(one);
            }
            return ids;
        }
        for (JsonNode item : value) {
            if (item.isIntegralNumber()) {
                ids.add(item.asLong());
            } else {
                try {
                    ids.add(Long.parseLong(item.asText().trim()));
                } catch (NumberFormatException e) {
                    throw Errors.invalid(field, "Each item must be an integer.");
                }
            }
        }
        return ids;
    }

    /** Array items as bodies (each object's keys camelized too). */
    public List<Body> objects(String field) {
        JsonNode value = node(field);
        List<Body> items = new ArrayList<>();
        if (value == null) {
            return items;
        }
        if (!value.isArray()) {
            throw Errors.invalid(field, "Expected a list of objects.");
        }
        for (JsonNode item : value) {
            if (!item.isObject()) {
                throw Errors.invalid(field, "Expected a list of objects.");
            }
            items.add(new Body((ObjectNode) item));
        }
        return items;
    }
}
