package org.jupyterhealth.exchange.systemtests;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.Function;

import org.jupyterhealth.exchange.systemtests.BadInputs.Fragment;
import org.jupyterhealth.exchange.systemtests.BadInputs.Input;
import org.jupyterhealth.exchange.systemtests.Probe.Expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Probes for every operation of the OpenAPI document, as served at test time (a new operation is probed without
 * a change here): first each operation once as every persona and anonymously with a plausible request (the
 * baseline), then, as the persona that got furthest in the baseline, bad path ids, bad query parameter values,
 * malformed bodies and every body field with every bad value its type invites, and bad bearer tokens.
 */
final class OpenApiProbes {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String MARK = "\u0001FIELD\u0001";
    private static final String EMAIL = "probe.corpus@example.com";

    /**
     * Query parameters the admin API reads (the document does not list them): paging in both styles and the
     * filters, in snake_case and camelCase. Every GET operation is probed with all of them.
     */
    static final List<String> ADMIN_QUERY_PARAMETERS = List.of("limit", "offset", "page", "page_size", "pageSize",
            "organization_id", "organizationId", "study_id", "studyId", "patient_id", "patientId", "user_id",
            "client_id", "application_id", "part_of", "email", "name", "family", "given", "birthdate", "identifier",
            "patient_identifier_value", "code", "format", "reset", "search", "ordering");

    /** Bearer credentials that identify nobody: each must be refused wherever a token is required. */
    static final List<String> BAD_AUTHORIZATIONS = List.of("Bearer", "Bearer ", "Bearer not-a-jwt",
            "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMDAwMSIsImlzX3N1cGVydXNlciI6dHJ1ZX0.", "Bearer a.b.c",
            "Bearer %00", "Basic YWRtaW5AZXhhbXBsZS5jb206SmhlMTIzNCE=", "Bearer " + "x".repeat(8_000),
            "Bearer eyJ!!!.eyJ!!!.!!!");

    /** An operation of the document. */
    record Operation(String method, String path, JsonNode node, boolean secured) {
        String key() {
            return method + " " + path;
        }
    }

    private final JsonNode document;
    private final List<String> personas;
    private final Function<String, String> validIds;
    private final Map<String, String> tamperedTokens;
    private final AtomicInteger emails = new AtomicInteger();

    /**
     * @param personas the personas' names, the strongest first ({@code null} = anonymous is added)
     * @param validIds an existing record's id for a collection path ({@code /api/v1/patients}), or null
     * @param tamperedTokens a persona's token with a broken signature, by persona
     */
    OpenApiProbes(JsonNode document, List<String> personas, Function<String, String> validIds,
            Map<String, String> tamperedTokens) {
        this.document = document;
        this.personas = personas;
        this.validIds = validIds;
        this.tamperedTokens = tamperedTokens;
    }

    /** Every operation of the document not covered elsewhere (the FHIR probes cover their own). */
    List<Operation> operations(BiPredicate<String, String> coveredElsewhere) {
        List<Operation> operations = new ArrayList<>();
        boolean securedByDefault = document.path("security").isArray() && !document.path("security").isEmpty();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (String method : List.of("get", "post", "put", "patch", "delete")) {
                JsonNode node = path.getValue().get(method);
                if (node == null || coveredElsewhere.test(method.toUpperCase(Locale.ROOT), path.getKey())) {
                    continue;
                }
                JsonNode security = node.get("security");
                boolean secured = security == null ? securedByDefault : security.isArray() && !security.isEmpty();
                operations.add(new Operation(method.toUpperCase(Locale.ROOT), path.getKey(), node, secured));
            }
        }
        return operations;
    }

    /** Each operation with a plausible request, as every persona and anonymously. */
    List<Probe> baselines(Operation operation) {
        List<Probe> probes = new ArrayList<>();
        String target = target(operation, validPathValues(operation, !"DELETE".equals(operation.method())), "");
        byte[] body = template(operation) == null ? null : bytes(template(operation));
        List<String> everyone = new ArrayList<>(personas);
        everyone.add(null);
        for (String persona : everyone) {
            Expect expect = persona == null && operation.secured() ? Expect.REJECTED : Expect.ANY;
            probes.add(probe("baseline", persona, operation, target, body, "application/json", expect, List.of()));
        }
        return probes;
    }

    /**
     * Every bad-input probe of an operation, sent as {@code persona} (the one whose baseline got furthest);
     * {@code index} varies which persona and which bad token is used where the corpus rotates them.
     */
    List<Probe> probes(Operation operation, String persona, int index) {
        List<Probe> probes = new ArrayList<>();
        ObjectNode template = template(operation);
        byte[] body = template == null ? null : bytes(template);
        Map<String, String> valid = validPathValues(operation, true);
        String validTarget = target(operation, valid, "");

        // bad path ids, one parameter at a time, as each persona in turn
        int rotation = index;
        for (String name : valid.keySet()) {
            List<Input> ids = new ArrayList<>(BadInputs.IDS);
            ids.add(new Input("matrix parameter on a real id", valid.get(name) + ";x", true));
            ids.add(new Input("matrix parameter with value on a real id", valid.get(name) + ";x=1", true));
            for (Input id : ids) {
                Map<String, String> values = new LinkedHashMap<>(valid);
                values.put(name, id.value());
                String who = personas.get(rotation++ % personas.size());
                probes.add(probe("path " + name + ": " + id.name(), who, operation, target(operation, values, ""),
                        body, "application/json", id.rejected() ? Expect.REJECTED : Expect.ANY, List.of(id.value())));
            }
        }

        // query parameters: each bad value in all of them at once, and in one of them alone (rotating)
        if ("GET".equals(operation.method())) {
            List<String> parameters = queryParameters(operation);
            List<Input> values = queryValues();
            for (int k = 0; k < values.size(); k++) {
                Input value = values.get(k);
                StringBuilder query = new StringBuilder();
                for (String parameter : parameters) {
                    query.append(query.length() == 0 ? "?" : "&").append(parameter).append('=')
                            .append(value.value());
                }
                probes.add(probe("every query parameter: " + value.name(), persona, operation,
                        validTarget + query, null, null, Expect.ANY, BadInputs.echoes(value)));
                for (int p = 0; p < parameters.size(); p++) {
                    if ((index + p + k) % 4 == 0) {
                        probes.add(probe("query " + parameters.get(p) + ": " + value.name(), persona, operation,
                                validTarget + "?" + parameters.get(p) + "=" + value.value(), null, null, Expect.ANY,
                                BadInputs.echoes(value)));
                    }
                }
            }
        }

        if (template != null) {
            bodyProbes(operation, persona, template, validTarget, probes);
        }

        // bad credentials, two per operation, rotating through the list
        if (operation.secured()) {
            for (int k = 0; k < 2; k++) {
                int which = (index * 2 + k) % (BAD_AUTHORIZATIONS.size() + tamperedTokens.size());
                boolean forged = which < BAD_AUTHORIZATIONS.size();
                String authorization = forged ? BAD_AUTHORIZATIONS.get(which)
                        : "Bearer " + List.copyOf(tamperedTokens.values()).get(which - BAD_AUTHORIZATIONS.size());
                // a real token, even with a broken signature, is not written into the failure list
                String label = forged ? "bad credentials " + Probe.excerpt(authorization, 40)
                        : "bad credentials: a persona's token with a broken signature";
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Authorization", authorization);
                if (body != null) {
                    headers.put("Content-Type", "application/json");
                }
                probes.add(new Probe(label, null, operation.method(),
                        validTarget, headers, body, false, Expect.REJECTED, List.of()));
            }
        }
        return probes;
    }

    private void bodyProbes(Operation operation, String persona, ObjectNode template, String target,
            List<Probe> probes) {
        for (Fragment malformed : BadInputs.MALFORMED_JSON) {
            probes.add(probe("body: " + malformed.name(), persona, operation, target, malformed.bytes(),
                    "application/json", Expect.REJECTED, List.of()));
        }
        for (Fragment whole : List.of(Fragment.of("array body", "[]", true), Fragment.of("string body", "\"x\"", true),
                Fragment.of("number body", "1", true), Fragment.of("boolean body", "true", true),
                Fragment.of("null body", "null", false), Fragment.of("empty object body", "{}", false),
                Fragment.of("empty body", "", false))) {
            probes.add(probe("body: " + whole.name(), persona, operation, target, whole.bytes(), "application/json",
                    whole.rejected() ? Expect.REJECTED : Expect.ANY, List.of()));
        }
        byte[] valid = bytes(template);
        for (String contentType : BadInputs.WRONG_CONTENT_TYPES) {
            boolean refused = !contentType.startsWith("application/json");
            probes.add(probe("content type " + contentType, persona, operation, target, valid, contentType,
                    refused ? Expect.REJECTED : Expect.ANY, List.of()));
        }
        probes.add(probe("no content type", persona, operation, target, valid, null, Expect.ANY, List.of()));

        ObjectNode schema = resolve(requestSchema(operation));
        boolean create = !"PATCH".equals(operation.method());
        Set<String> required = new LinkedHashSet<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        for (String name : required) {
            if (template.has(name) && create && !"DELETE".equals(operation.method())) {
                ObjectNode without = template.deepCopy();
                without.remove(name);
                probes.add(probe("body without required " + name, persona, operation, target, bytes(without),
                        "application/json", Expect.REJECTED, List.of()));
            }
        }
        ObjectNode extra = template.deepCopy();
        extra.put("isSuperuser", true).put("is_superuser", true).put("id", 1).set("__proto__",
                NODES.objectNode().put("admin", true));
        probes.add(probe("body with extra privileged fields", persona, operation, target, bytes(extra),
                "application/json", Expect.ANY, List.of()));

        boolean huge = false;
        for (FieldPath field : fields(template, schema, new ArrayList<>())) {
            for (Fragment fragment : fragmentsFor(field)) {
                probes.add(probe("body " + field.display() + ": " + fragment.name(), persona, operation, target,
                        replace(template, field.path(), fragment.bytes()), "application/json",
                        fragment.rejected() ? Expect.REJECTED : Expect.ANY, BadInputs.echoes(fragment)));
            }
            if (!huge && "string".equals(field.type())) {
                huge = true;
                probes.add(probe("body " + field.display() + ": 1 MiB string", persona, operation, target,
                        replace(template, field.path(), BadInputs.jsonString(BadInputs.HUGE)
                                .getBytes(StandardCharsets.UTF_8)), "application/json", Expect.ANY,
                        List.of(BadInputs.HUGE)));
            }
        }
    }

    /** A field of the template: where it is, its schema type, format and name. */
    record FieldPath(List<Object> path, String type, JsonNode schema) {
        String display() {
            StringBuilder text = new StringBuilder();
            for (Object step : path) {
                text.append(step instanceof Integer ? "[" + step + "]" : (text.length() == 0 ? "" : ".") + step);
            }
            return text.toString();
        }

        String name() {
            for (int i = path.size() - 1; i >= 0; i--) {
                if (path.get(i) instanceof String s) {
                    return s;
                }
            }
            return "";
        }
    }

    private List<FieldPath> fields(JsonNode value, JsonNode schema, List<Object> at) {
        List<FieldPath> fields = new ArrayList<>();
        schema = resolve(schema);
        if (value instanceof ObjectNode object) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext();) {
                String name = names.next();
                JsonNode fieldSchema = resolve(schema.path("properties").path(name));
                List<Object> path = new ArrayList<>(at);
                path.add(name);
                fields.add(new FieldPath(path, typeOf(fieldSchema), fieldSchema));
                if (at.size() < 4) {
                    fields.addAll(fields(object.get(name), fieldSchema, path));
                }
            }
        } else if (value instanceof ArrayNode array && !array.isEmpty()) {
            List<Object> path = new ArrayList<>(at);
            path.add(0);
            JsonNode items = resolve(schema.path("items"));
            if (array.get(0).isObject()) {
                fields.addAll(fields(array.get(0), items, path));
            } else {
                fields.add(new FieldPath(path, typeOf(items), items));
            }
        }
        return fields;
    }

    private static List<Fragment> fragmentsFor(FieldPath field) {
        JsonNode schema = field.schema();
        String name = field.name().toLowerCase(Locale.ROOT);
        List<Fragment> fragments = new ArrayList<>();
        switch (field.type()) {
            case "integer", "number" -> fragments.addAll(BadInputs.integerFragments());
            case "boolean" -> fragments.addAll(BadInputs.booleanFragments());
            case "array" -> fragments.addAll(BadInputs.arrayFragments());
            case "string" -> {
                boolean enumerated = schema.has("enum");
                boolean email = name.contains("email");
                for (Fragment fragment : BadInputs.stringFragments()) {
                    // no value of the list is in an enumeration or is an e-mail address
                    boolean refused = fragment.rejected() || ((enumerated || email) && !"null".equals(fragment.name()));
                    fragments.add(new Fragment(fragment.name(), fragment.bytes(), refused));
                }
                if (enumerated) {
                    fragments.add(Fragment.of("value outside the enumeration", "\"not-in-enum\"", true));
                }
                if ("date".equals(schema.path("format").asText()) || "date-time".equals(schema.path("format").asText())
                        || name.contains("date")) {
                    for (Input date : BadInputs.DATES) {
                        fragments.add(Fragment.of(date.name(), BadInputs.jsonString(date.value()), true));
                    }
                }
                if (name.endsWith("url") || name.endsWith("uri")) {
                    for (Input url : BadInputs.URLS) {
                        fragments.add(Fragment.of(url.name(), BadInputs.jsonString(url.value()), true));
                    }
                }
            }
            case "object" -> {
                if (!schema.has("properties")) {
                    fragments.addAll(BadInputs.anyValueFragments());
                } else {
                    fragments.add(Fragment.of("array for an object", "[]", true));
                    fragments.add(Fragment.of("text for an object", "\"x\"", true));
                }
            }
            default -> fragments.addAll(BadInputs.anyValueFragments());
        }
        return fragments;
    }

    /** Bad query values: every string of the corpus encoded as a browser would, and raw ones. */
    static List<Input> queryValues() {
        List<Input> values = new ArrayList<>();
        for (Input input : BadInputs.STRINGS) {
            if (input.value().length() < 1_000) {
                values.add(new Input(input.name(), BadInputs.urlEncoded(input.value()), input.rejected()));
            }
        }
        values.addAll(BadInputs.RAW_QUERY_VALUES);
        return values;
    }

    private List<String> queryParameters(Operation operation) {
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode parameter : operation.node().path("parameters")) {
            JsonNode resolved = resolve(parameter);
            if ("query".equals(resolved.path("in").asText())) {
                names.add(resolved.path("name").asText());
            }
        }
        if (operation.path().startsWith("/api/")) {
            names.addAll(ADMIN_QUERY_PARAMETERS);
        }
        return new ArrayList<>(names);
    }

    /** The path parameters with an existing record's id (or, for a DELETE's baseline, one that exists nowhere). */
    private Map<String, String> validPathValues(Operation operation, boolean existing) {
        Map<String, String> values = new LinkedHashMap<>();
        String path = operation.path();
        int at = 0;
        while ((at = path.indexOf('{', at)) >= 0) {
            int end = path.indexOf('}', at);
            String name = path.substring(at + 1, end);
            String collection = path.substring(0, at - 1);
            String id = existing && isInteger(operation, name) ? validIds.apply(collection) : null;
            if (id == null) {
                id = isInteger(operation, name) ? "99999999" : "A".repeat(32);
            }
            values.put(name, id);
            at = end;
        }
        return values;
    }

    private boolean isInteger(Operation operation, String name) {
        for (JsonNode parameter : operation.node().path("parameters")) {
            JsonNode resolved = resolve(parameter);
            if (name.equals(resolved.path("name").asText())) {
                return "integer".equals(resolved.path("schema").path("type").asText());
            }
        }
        return true;
    }

    private static String target(Operation operation, Map<String, String> values, String query) {
        String path = operation.path();
        for (Map.Entry<String, String> value : values.entrySet()) {
            path = path.replace("{" + value.getKey() + "}", value.getValue());
        }
        return path + query;
    }

    private Probe probe(String label, String persona, Operation operation, String target, byte[] body,
            String contentType, Expect expect, List<String> echoes) {
        if (body != null) {
            body = withFreshEmail(body);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (body != null && contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return new Probe(label, persona, operation.method(), target, headers, body, false, expect, echoes);
    }

    /**
     * The body with a new e-mail address in place of the template's: a create with an address that is taken may
     * answer with the existing record, and then the other fields of the body would never be looked at.
     */
    private byte[] withFreshEmail(byte[] body) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        if (!text.contains(EMAIL)) {
            return body;
        }
        String fresh = "probe.corpus." + emails.incrementAndGet() + "@example.com";
        return text.replace(EMAIL, fresh).getBytes(StandardCharsets.ISO_8859_1);
    }

    // ------------------------------------------------------------------------------------------ request bodies

    private JsonNode requestSchema(Operation operation) {
        JsonNode content = operation.node().path("requestBody").path("content");
        JsonNode json = content.path("application/json");
        return json.isMissingNode() ? null : json.path("schema");
    }

    /** A plausible body for the operation, from its schema, with real ids where a field names a record. */
    ObjectNode template(Operation operation) {
        JsonNode schema = requestSchema(operation);
        if (schema == null) {
            return null;
        }
        JsonNode value = sample(resolve(schema), "", 0);
        return value instanceof ObjectNode object ? object : null;
    }

    private JsonNode sample(JsonNode schema, String name, int depth) {
        schema = resolve(schema);
        String lower = name.toLowerCase(Locale.ROOT);
        switch (typeOf(schema)) {
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                if (!schema.has("properties")) {
                    return NODES.textNode("probe");
                }
                if (depth < 4) {
                    for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
                        object.set(property.getKey(), sample(property.getValue(), property.getKey(), depth + 1));
                    }
                }
                return object;
            }
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                array.add(sample(schema.path("items"), lower.endsWith("s") ? name.substring(0, name.length() - 1)
                        : name, depth + 1));
                return array;
            }
            case "integer", "number" -> {
                String id = idFor(lower);
                return NODES.numberNode(id == null ? 1L : Long.parseLong(id));
            }
            case "boolean" -> {
                return NODES.booleanNode(false);
            }
            default -> {
                if (schema.has("enum")) {
                    return NODES.textNode(schema.path("enum").get(0).asText());
                }
                if ("date".equals(schema.path("format").asText())) {
                    return NODES.textNode("2022-03-10");
                }
                if ("date-time".equals(schema.path("format").asText())) {
                    return NODES.textNode("2022-03-10T10:00:00Z");
                }
                if (lower.contains("email")) {
                    return NODES.textNode(EMAIL);
                }
                if (lower.endsWith("url") || lower.endsWith("uri")) {
                    return NODES.textNode("https://example.com/CODE");
                }
                if (lower.equals("codingsystem") || lower.equals("system")) {
                    return NODES.textNode("https://w3id.org/openmhealth");
                }
                if (lower.equals("codingcode") || lower.equals("code")) {
                    return NODES.textNode("omh:heart-rate:2.0");
                }
                if (lower.equals("type")) {
                    return NODES.textNode("laboratory");
                }
                if (lower.equals("value") && !schema.has("type")) {
                    return NODES.textNode("probe");
                }
                return NODES.textNode("Probe");
            }
        }
    }

    /** An existing record's id for a field that names one (by its name), or null. */
    private String idFor(String lowerName) {
        String collection;
        if (lowerName.contains("organization") || lowerName.contains("partof")) {
            collection = "/api/v1/organizations";
        } else if (lowerName.contains("patient")) {
            collection = "/api/v1/patients";
        } else if (lowerName.contains("study")) {
            collection = "/api/v1/studies";
        } else if (lowerName.contains("datasource")) {
            collection = "/api/v1/data_sources";
        } else if (lowerName.contains("client")) {
            collection = "/api/v1/clients";
        } else if (lowerName.contains("user")) {
            collection = "/api/v1/users";
        } else if (lowerName.contains("scopecode")) {
            collection = "/api/v1/data_sources/all_scopes";
        } else {
            return null;
        }
        return validIds.apply(collection);
    }

    private static String typeOf(JsonNode schema) {
        if (schema.has("type")) {
            return schema.path("type").asText();
        }
        if (schema.has("properties")) {
            return "object";
        }
        return "any";
    }

    private ObjectNode resolve(JsonNode schema) {
        JsonNode node = schema == null ? NODES.objectNode() : schema;
        for (int hops = 0; node.has("$ref") && hops < 10; hops++) {
            String ref = node.path("$ref").asText();
            node = document.at(ref.substring(1));
        }
        return node instanceof ObjectNode object ? object : NODES.objectNode();
    }

    /** The template's JSON text with the value at {@code path} replaced by raw bytes (possibly not JSON). */
    static byte[] replace(ObjectNode template, List<Object> path, byte[] fragment) {
        ObjectNode copy = template.deepCopy();
        JsonNode parent = copy;
        for (int i = 0; i < path.size() - 1; i++) {
            Object step = path.get(i);
            parent = step instanceof Integer n ? parent.get(n) : parent.get((String) step);
        }
        Object last = path.get(path.size() - 1);
        if (last instanceof Integer n) {
            ((ArrayNode) parent).set(n, NODES.textNode(MARK));
        } else {
            ((ObjectNode) parent).put((String) last, MARK);
        }
        String text = new String(bytes(copy), StandardCharsets.UTF_8);
        String marker = BadInputs.jsonString(MARK);
        int at = text.indexOf(marker);
        return BadInputs.concat(text.substring(0, at).getBytes(StandardCharsets.UTF_8), fragment,
                text.substring(at + marker.length()).getBytes(StandardCharsets.UTF_8));
    }

    static byte[] bytes(JsonNode node) {
        try {
            return BadInputs.JSON.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
