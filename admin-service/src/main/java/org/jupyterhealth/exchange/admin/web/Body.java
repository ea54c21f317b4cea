package org.jupyterhealth.exchange.admin.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jupyterhealth.exchange.admin.web.request.BodyTree;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A JSON request body of the admin API read by camelCase field name, whichever spelling the client sent
 * ({@code organization_id} or {@code organizationId}), for the endpoints whose bodies are not yet request records
 * (web.request). {@link #of} refuses, before anything is
 * looked up or written anywhere, what {@link BodyTree} refuses; the typed getters
 * then refuse a value of the wrong JSON type (no number read as a string, no string read as a boolean), a line
 * break in a one-line field and a value longer than its column, each with a 400 naming the field (nested fields
 * as {@code identifiers[0].value}). An absent body reads as {@code {}}.
 */
public final class Body {
    /** The most items a list in a body may have (enrolments, identifiers, consents). */
    public static final int MAX_ITEMS = BodyTree.MAX_ITEMS;

    private static final String REQUIRED = "This field is required.";
    private static final Pattern PLAIN_ID = Pattern.compile("0|[1-9][0-9]{0,17}");

    private final ObjectNode node;
    private final String prefix;

    private Body(ObjectNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    public static Body of(JsonNode json) {
        return new Body(BodyTree.of(json), "");
    }

    /**
     * Refuses a JSON value read some other way (a setting's JSON written out as a string) with the rules of a
     * body's strings.
     */
    public static void checkValue(String path, JsonNode json) {
        BodyTree.checkValue(path, json);
    }

    private String path(String field) {
        return prefix.isEmpty() ? field : prefix + "." + field;
    }

    private AdminException.ValidationException invalid(String field, String message) {
        return TextRules.invalid(path(field), message);
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

    /** A one-line string of at most {@link TextRules#MAX_SHORT} characters, or null when absent. */
    public String string(String field) {
        return string(field, TextRules.MAX_SHORT);
    }

    /** A one-line string of at most {@code maxLength} characters, or null when absent. */
    public String string(String field, int maxLength) {
        return text(field, false, maxLength);
    }

    /** A string that may have line breaks and tabs (descriptions), or null when absent. */
    public String multiline(String field, int maxLength) {
        return text(field, true, maxLength);
    }

    private String text(String field, boolean multiline, int maxLength) {
        JsonNode value = node(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid(field, "Not a valid string.");
        }
        return TextRules.check(path(field), value.textValue(), multiline, maxLength);
    }

    /** A one-line string that must be present and not blank, trimmed. */
    public String requiredString(String field) {
        return requiredString(field, TextRules.MAX_SHORT);
    }

    public String requiredString(String field, int maxLength) {
        String value = string(field, maxLength);
        if (value == null || value.isBlank()) {
            throw invalid(field, REQUIRED);
        }
        return value.trim();
    }

    /** A one-line string, trimmed, or null when absent; given, it may not be blank (a name an update changes). */
    public String nonBlankString(String field) {
        String value = string(field);
        if (value != null && value.isBlank()) {
            throw invalid(field, "This field may not be blank.");
        }
        return value == null ? null : value.trim();
    }

    /**
     * Refuses a body that lacks any of these fields (absent, null, or a blank string), naming every one of them:
     * what a create or a full replacement ({@code PUT}) must carry.
     */
    public void requireFields(String... fields) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        for (String field : fields) {
            JsonNode value = node(field);
            if (value == null || (value.isTextual() && value.textValue().isBlank())) {
                errors.put(path(field), List.of(REQUIRED));
            }
        }
        if (!errors.isEmpty()) {
            throw new AdminException.ValidationException(String.join(", ", errors.keySet()) + ": " + REQUIRED,
                    errors);
        }
    }

    /**
     * An e-mail address, trimmed, or null when absent: a string of at most {@link TextRules#MAX_EMAIL} characters
     * that is a plausible address (an empty one is not).
     */
    public String email(String field) {
        String value = string(field, TextRules.MAX_EMAIL);
        if (value == null) {
            return null;
        }
        if (!TextRules.isEmail(value.trim())) {
            throw invalid(field, "Enter a valid email address.");
        }
        return value.trim();
    }

    /** One of {@code choices}, or null when absent; anything else (an empty string included) is a 400. */
    public String choice(String field, List<String> choices) {
        String value = string(field);
        if (value == null) {
            return null;
        }
        if (!choices.contains(value)) {
            throw invalid(field, "\"" + value + "\" is not a valid choice.");
        }
        return value;
    }

    /**
     * An id: a JSON integer, or a string of digits (the original accepted {@code "40001"} for ids, as form-based
     * clients send them); null when absent or empty. Anything else (a fraction, a boolean, a number beyond the
     * range of ids) is a 400.
     */
    public Long id(String field) {
        JsonNode value = node(field);
        if (value == null || (value.isTextual() && value.textValue().isBlank())) {
            return null;
        }
        Long id = idOf(value);
        if (id == null) {
            throw invalid(field, "A valid integer is required.");
        }
        return id;
    }

    private static Long idOf(JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToLong() && value.longValue() >= 0) {
            return value.longValue();
        }
        if (value.isTextual() && PLAIN_ID.matcher(value.textValue().trim()).matches()) {
            return Long.parseLong(value.textValue().trim());
        }
        return null;
    }

    public long requiredId(String field) {
        Long value = id(field);
        if (value == null) {
            throw invalid(field, REQUIRED);
        }
        return value;
    }

    /** A JSON boolean, or null when absent. */
    public Boolean bool(String field) {
        JsonNode value = node(field);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw invalid(field, "Must be a valid boolean.");
        }
        return value.booleanValue();
    }

    /**
     * A JSON list of ids ({@code [1, 2]}), empty when absent. A lone id is refused rather than read as a list of
     * one: the original never took one either, and guessing what a client meant is how a wrong patient gets
     * enrolled or removed.
     */
    public List<Long> ids(String field) {
        JsonNode value = node(field);
        List<Long> ids = new ArrayList<>();
        if (value == null) {
            return ids;
        }
        if (!value.isArray()) {
            throw invalid(field, "Expected a list of integers.");
        }
        for (JsonNode item : value) {
            Long id = item == null ? null : idOf(item);
            if (id == null) {
                throw invalid(field, "Each item must be an integer.");
            }
            ids.add(id);
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
            throw invalid(field, "Expected a list of objects.");
        }
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isObject()) {
                throw invalid(field, "Expected a list of objects.");
            }
            items.add(new Body((ObjectNode) item, path(field) + "[" + i + "]"));
        }
        return items;
    }
}
