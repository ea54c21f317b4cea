package org.jupyterhealth.exchange.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Checks what crosses a service boundary against {@code docs/internal-api.yaml}, the internal contract as data:
 * <ul>
 * <li>a provider's answers ({@link #responseProblems}, or every {@code /internal/**} answer a rest-assured test
 * obtains, with {@link #checkInternalAnswers});</li>
 * <li>what a stand-in of a sibling service receives ({@link #requestProblems}) and answers, so that a stand-in
 * cannot drift from the service it replaces; a stand-in reports a mismatch with {@link #violation}, which fails
 * the test that caused it ({@link ContractViolations});</li>
 * <li>Kafka values against the schemas of {@code components/schemas} ({@link #messageProblems}).</li>
 * </ul>
 * The document is read from the repository (the tests of every module run in the module's folder), so a module
 * built alone checks against the same file the other side is checked against.
 */
public final class ContractCheck {
    /** Where the document is, relative to the module whose tests run. */
    public static final Path DOCUMENT = locate();
    private static final String BASE = "https://jupyterhealth.org/exchange/internal-api.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,18}");
    private static final JsonNode ROOT = read(DOCUMENT);
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources(false)
                    .resourceLoaders(resources -> resources.resources(Map.of(BASE, ROOT.toString())))));
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();
    private static final List<String> VIOLATIONS = new CopyOnWriteArrayList<>();
    private static final Filter INTERNAL_ANSWERS = new InternalAnswers();

    private ContractCheck() {
    }

    // ------------------------------------------------------------------------------------------------ HTTP

    /**
     * What is wrong with an answer: its status is not one the contract lists for the operation, or its body does
     * not match that status's schema (or is not empty when the status has no body). {@code path} is a request path
     * ({@code /internal/accounts/12}, a query is ignored) or the contract's template ({@code /internal/accounts/{id}}).
     */
    public static List<String> responseProblems(String method, String path, int status, String body) {
        Operation operation = operation(method, path);
        if (operation == null) {
            return List.of(method + " " + path + " is not in " + DOCUMENT);
        }
        String where = operation.name() + " answering " + status;
        Located response = operation.at("responses").child(Integer.toString(status));
        if (response == null) {
            response = operation.at("responses").child("default");
        }
        if (response == null) {
            return List.of(where + ": the contract lists no such status");
        }
        Located schema = response.child("content") == null ? null
                : response.child("content").child("application/json") == null ? null
                        : response.child("content").child("application/json").child("schema");
        if (schema == null) {
            return body == null || body.isEmpty() ? List.of() : List.of(where + ": the contract has no body here");
        }
        return problems(where, schema.pointer(), body);
    }

    /** Fails with the problems of {@link #responseProblems}. */
    public static void assertResponse(String method, String path, int status, String body) {
        fail(responseProblems(method, path, status, body));
    }

    /**
     * What is wrong with a request as a consumer sends it: the operation exists, the path and query parameters are
     * declared and of their type, the required ones are present, and the body matches the request schema.
     */
    public static List<String> requestProblems(String method, URI uri, String body) {
        String path = uri.getRawPath();
        Operation operation = operation(method, path);
        if (operation == null) {
            return List.of(method + " " + path + " is not in " + DOCUMENT);
        }
        String where = operation.name() + " request";
        List<String> problems = new ArrayList<>();
        Map<String, Located> declared = parameters(operation);
        Map<String, String> query = query(uri.getRawQuery());
        query.forEach((name, value) -> {
            Located parameter = declared.get("query:" + name);
            if (parameter == null) {
                problems.add(where + ": query parameter " + name + " is not declared");
            } else {
                problems.addAll(parameterProblems(where, parameter, value));
            }
        });
        String[] template = operation.template().split("/");
        String[] actual = path.split("/");
        for (int i = 0; i < template.length; i++) {
            if (template[i].startsWith("{")) {
                String name = template[i].substring(1, template[i].length() - 1);
                Located parameter = declared.get("path:" + name);
                problems.addAll(parameterProblems(where, parameter, decode(actual[i])));
            }
        }
        declared.forEach((key, parameter) -> {
            if (key.startsWith("query:") && parameter.node().path("required").asBoolean(false)
                    && !query.containsKey(parameter.node().path("name").asString())) {
                problems.add(where + ": required query parameter " + parameter.node().path("name").asString()
                        + " is missing");
            }
        });
        Located requestBody = operation.at("requestBody");
        if (requestBody == null) {
            if (body != null && !body.isEmpty()) {
                problems.add(where + ": the contract has no request body here");
            }
        } else if (body == null || body.isEmpty()) {
            if (requestBody.node().path("required").asBoolean(false)) {
                problems.add(where + ": the request body is required");
            }
        } else {
            problems.addAll(problems(where, requestBody.child("content").child("application/json").child("schema")
                    .pointer(), body));
        }
        return problems;
    }

    /** Fails with the problems of {@link #requestProblems}. */
    public static void assertRequest(String method, URI uri, String body) {
        fail(requestProblems(method, uri, body));
    }

    // ------------------------------------------------------------------------------------------------ Kafka

    /** What is wrong with a Kafka value of the schema {@code components/schemas/<name>}. */
    public static List<String> messageProblems(String schemaName, String value) {
        if (ROOT.path("components").path("schemas").path(schemaName).isMissingNode()) {
            return List.of("no schema " + schemaName + " in " + DOCUMENT);
        }
        return problems(schemaName, "/components/schemas/" + schemaName, value);
    }

    /** Fails with the problems of {@link #messageProblems}. */
    public static void assertMessage(String schemaName, String value) {
        fail(messageProblems(schemaName, value));
    }

    // ------------------------------------------------------------------------------------------------ wiring

    /**
     * Validates every answer to a {@code /internal/**} request that a rest-assured test obtains from now on
     * (provider checks): a mismatch fails the request's test. Idempotent.
     */
    public static void checkInternalAnswers() {
        if (!RestAssured.filters().contains(INTERNAL_ANSWERS)) {
            RestAssured.filters(INTERNAL_ANSWERS);
        }
    }

    /**
     * For a stand-in of a sibling service: the problems of a request it received and of the answer it is about to
     * give, each also reported as a {@link #violation}, so that the test fails; the stand-in then answers an error
     * rather than what it should not have. An answer of 500 or more is an outage the stand-in simulates, outside
     * the contract: only its request is checked.
     */
    public static List<String> standIn(String method, URI uri, String requestBody, int status, String answer) {
        List<String> problems = new ArrayList<>(requestProblems(method, uri, requestBody));
        if (status < 500) {
            problems.addAll(responseProblems(method, uri.getRawPath(), status, answer));
        }
        problems.forEach(ContractCheck::violation);
        return problems;
    }

    /** Whether {@link #checkInternalAnswers} is in force for the rest-assured of the caller. */
    public static boolean checksInternalAnswers() {
        return RestAssured.filters().contains(INTERNAL_ANSWERS);
    }

    /**
     * A stand-in's report of a contract mismatch: the stand-in answers its caller an error, and
     * {@link ContractViolations} fails the test during which it happened (the stand-in runs on a thread of its own,
     * where an assertion would fail nothing).
     */
    public static void violation(String problem) {
        VIOLATIONS.add(problem);
    }

    /** The mismatches stand-ins reported since the last call, which forgets them. */
    static List<String> takeViolations() {
        List<String> taken = List.copyOf(VIOLATIONS);
        VIOLATIONS.removeAll(taken);
        return taken;
    }

    private static final class InternalAnswers implements Filter {
        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                FilterContext context) {
            Response answer = context.next(request, response);
            String path = URI.create(request.getURI()).getRawPath();
            if (path.startsWith("/internal/")) {
                assertResponse(request.getMethod(), path, answer.statusCode(), answer.asString());
            }
            return answer;
        }
    }

    // ------------------------------------------------------------------------------------------------ document

    private record Located(JsonNode node, String pointer) {
        Located child(String name) {
            JsonNode child = node.get(name);
            if (child == null) {
                return null;
            }
            Located located = new Located(child, pointer + "/" + escape(name));
            // parameters, responses and request bodies may be references to components
            String ref = child.path("$ref").asString("");
            return ref.startsWith("#/") ? new Located(ROOT.at(ref.substring(1)), ref.substring(1)) : located;
        }

        Located at(int index) {
            JsonNode item = node.get(index);
            String ref = item.path("$ref").asString("");
            return ref.startsWith("#/") ? new Located(ROOT.at(ref.substring(1)), ref.substring(1))
                    : new Located(item, pointer + "/" + index);
        }
    }

    private record Operation(String template, String method, Located path, Located operation) {
        String name() {
            return method.toUpperCase(Locale.ROOT) + " " + template;
        }

        Located at(String name) {
            return operation.child(name);
        }
    }

    private static Operation operation(String method, String path) {
        String plain = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String verb = method.toLowerCase(Locale.ROOT);
        Located paths = new Located(ROOT.get("paths"), "/paths");
        for (String template : ROOT.get("paths").propertyNames()) {
            if (matches(template, plain)) {
                Located entry = paths.child(template);
                Located operation = entry.child(verb);
                return operation == null ? null : new Operation(template, verb, entry, operation);
            }
        }
        return null;
    }

    private static boolean matches(String template, String path) {
        String[] expected = template.split("/");
        String[] actual = path.split("/");
        if (expected.length != actual.length || path.endsWith("/")) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (!expected[i].startsWith("{") && !expected[i].equals(actual[i])) {
                return false;
            }
            if (expected[i].startsWith("{") && actual[i].isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** The operation's parameters and its path's, by {@code in:name}. */
    private static Map<String, Located> parameters(Operation operation) {
        Map<String, Located> byName = new LinkedHashMap<>();
        for (Located owner : new Located[] { operation.path(), operation.operation() }) {
            Located list = owner.child("parameters");
            for (int i = 0; list != null && i < list.node().size(); i++) {
                Located parameter = list.at(i);
                byName.put(parameter.node().path("in").asString() + ":" + parameter.node().path("name").asString(),
                        parameter);
            }
        }
        return byName;
    }

    /** A parameter's text read as its schema's type says (a form-style list is split at commas), then validated. */
    private static List<String> parameterProblems(String where, Located parameter, String value) {
        String name = parameter.node().path("name").asString();
        JsonNode schema = parameter.node().path("schema");
        JsonNode typed;
        if ("array".equals(schema.path("type").asString())) {
            var array = JsonNodeFactory.instance.arrayNode();
            for (String item : value.split(",", -1)) {
                array.add(scalar(schema.path("items").path("type").asString(), item));
            }
            typed = array;
        } else {
            typed = scalar(schema.path("type").asString(), value);
        }
        return problems(where + " parameter " + name, parameter.pointer() + "/schema", typed.toString());
    }

    private static JsonNode scalar(String type, String text) {
        if ("integer".equals(type) && INTEGER.matcher(text).matches()) {
            return JsonNodeFactory.instance.numberNode(Long.parseLong(text));
        }
        if ("boolean".equals(type) && ("true".equals(text) || "false".equals(text))) {
            return JsonNodeFactory.instance.booleanNode(Boolean.parseBoolean(text));
        }
        return JsonNodeFactory.instance.stringNode(text);
    }

    private static List<String> problems(String where, String pointer, String json) {
        JsonNode value;
        try {
            value = JSON.readTree(json == null ? "" : json);
        } catch (JacksonException e) {
            return List.of(where + ": not JSON: " + shorten(json));
        }
        if (value == null || value.isMissingNode()) {
            return List.of(where + ": the body is empty");
        }
        Schema schema = SCHEMAS.computeIfAbsent(pointer, key -> {
            Schema compiled = REGISTRY.getSchema(SchemaLocation.of(BASE + "#" + key));
            compiled.initializeValidators();
            return compiled;
        });
        List<Error> errors = schema.validate(value);
        return errors.stream().map(e -> where + ": " + e.getMessage() + " in " + shorten(json)).toList();
    }

    private static void fail(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new AssertionError("Not as " + DOCUMENT + " says:\n  " + String.join("\n  ", problems));
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                params.put(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return params;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static String shorten(String text) {
        return text == null ? "null" : text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static Path locate() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs/internal-api.yaml");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("docs/internal-api.yaml not found above " + here);
    }

    private static JsonNode read(Path document) {
        try {
            return YAMLMapper.builder().build().readTree(Files.readString(document));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
