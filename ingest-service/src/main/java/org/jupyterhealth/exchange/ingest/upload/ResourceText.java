package org.jupyterhealth.exchange.ingest.upload;

import java.util.Map;

import org.jupyterhealth.exchange.common.upload.EntryOutcome;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The text of an uploaded resource, checked before anything reads it: FHIR strings may not contain control
 * characters other than tab, carriage return and line feed, and text must be Unicode (no half of a surrogate pair).
 * PostgreSQL refuses a NUL in text; a quoted one would make the upload's outcome unstorable.
 */
public final class ResourceText {

    private ResourceText() {
    }

    /** The first problem of the resource's text (keys and string values), naming its FHIRPath, or null. */
    public static String firstProblem(String resourceType, JsonNode resource) {
        return problem(resource, resourceType);
    }

    private static String problem(JsonNode node, String path) {
        if (node.isTextual()) {
            return textProblem(node.textValue(), path);
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = problem(node.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String fieldPath = path + "." + EntryOutcome.quote(field.getKey());
                String found = textProblem(field.getKey(), fieldPath);
                if (found == null) {
                    found = problem(field.getValue(), fieldPath);
                }
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static String textProblem(String text, String path) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                return path + " contains the control character U+" + String.format("%04X", (int) c)
                        + "; FHIR strings may contain no control characters but tab, carriage return and line feed.";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return path + " contains half of a surrogate pair, which is not Unicode text.";
            }
        }
        return null;
    }
}
