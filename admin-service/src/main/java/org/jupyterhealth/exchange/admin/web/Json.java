package org.jupyterhealth.exchange.admin.web;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Key spelling (docs/compatibility.md#keys): requests may use snake_case or camelCase; responses are camelCase. */
public final class Json {
    private Json() {
    }

    /** {@code organization_id} → {@code organizationId}; camelCase input is returned unchanged. */
    public static String camel(String name) {
        if (name.indexOf('_') < 0) {
            return name;
        }
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '_') {
                upper = out.length() > 0;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    /** Renames every snake_case key of this object (and of objects nested in it) to camelCase, in place. */
    public static JsonNode camelizeKeys(JsonNode node) {
        if (node instanceof ObjectNode object) {
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            fields.forEachRemaining(entries::add);
            object.removeAll();
            for (Map.Entry<String, JsonNode> entry : entries) {
                String key = camel(entry.getKey());
                // a JSON setting value is stored as sent
                JsonNode value = "value".equals(key) ? entry.getValue() : camelizeKeys(entry.getValue());
                if (!object.has(key)) {
                    object.set(key, value);
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(Json::camelizeKeys);
        }
        return node;
    }
}
