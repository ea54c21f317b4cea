package org.jupyterhealth.exchange.admin.web.request;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.admin.web.Json;
import org.jupyterhealth.exchange.admin.web.TextRules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The rules every request body of the admin API meets as a whole, before any field is read: it is one JSON object
 * (an absent body reads as {@code {}}); no key or string anywhere in it, also in a field the endpoint ignores or
 * inside a setting's JSON value, holds what {@link TextRules} refuses; no list has more than {@link #MAX_ITEMS}
 * items; and no field is given twice, also not in both spellings ({@code organization_id} and
 * {@code organizationId}: docs/compatibility.md#keys), where one value would go unread. Its keys come back in
 * camelCase, the names of the request records' fields.
 */
public final class BodyTree {
    /** The most items a list in a body may have (enrolments, identifiers, consents). */
    public static final int MAX_ITEMS = 1000;

    private BodyTree() {
    }

    /** The body, checked, with its keys in camelCase (a setting's JSON value keeps its keys as sent). */
    public static ObjectNode of(JsonNode json) {
        if (json == null || json.isNull() || json.isMissingNode()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!json.isObject()) {
            throw Errors.invalid("The request body must be a JSON object.");
        }
        checkTree(json, "", false);
        return (ObjectNode) Json.camelizeKeys(json.deepCopy());
    }

    /**
     * Refuses a JSON value read some other way (a setting's JSON written out as a string) with the rules of a
     * body's strings.
     */
    public static void checkValue(String path, JsonNode json) {
        checkTree(json, path, true);
    }

    /**
     * Walks every key and string of the body, so that a bad character anywhere is refused rather than stored or
     * passed on. Line breaks and tabs pass here; one-line fields refuse them when read.
     */
    private static void checkTree(JsonNode json, String path, boolean verbatim) {
        if (json.isTextual()) {
            TextRules.check(path, json.textValue(), true, TextRules.MAX_TEXT);
        } else if (json.isArray()) {
            if (json.size() > MAX_ITEMS) {
                throw TextRules.invalid(path, "Ensure this list has no more than " + MAX_ITEMS + " items.");
            }
            for (int i = 0; i < json.size(); i++) {
                checkTree(json.get(i), path + "[" + i + "]", verbatim);
            }
        } else if (json.isObject()) {
            Set<String> names = new HashSet<>();
            Iterator<Map.Entry<String, JsonNode>> fields = json.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = field.getKey();
                String problem = TextRules.problem(key, false);
                String name = problem != null ? printable(key) : verbatim ? key : Json.camel(key);
                String child = path.isEmpty() ? name : path + "." + name;
                if (problem != null) {
                    throw TextRules.invalid(child, problem);
                }
                if (key.length() > TextRules.MAX_SHORT) {
                    throw TextRules.invalid(path.isEmpty() ? "body" : path, "A field name is too long.");
                }
                if (!names.add(name)) {
                    throw TextRules.invalid(child, "This field is given twice.");
                }
                // a setting's JSON value keeps its keys as sent (Json.camelizeKeys)
                checkTree(field.getValue(), child, verbatim || "value".equals(name));
            }
        }
    }

    /** A key that has control characters, shown with them escaped, so that the error names it legibly. */
    private static String printable(String key) {
        StringBuilder out = new StringBuilder();
        for (char c : key.toCharArray()) {
            out.append(c < 0x20 || Character.isSurrogate(c) ? String.format("\\u%04x", (int) c) : c);
        }
        return out.toString();
    }
}
