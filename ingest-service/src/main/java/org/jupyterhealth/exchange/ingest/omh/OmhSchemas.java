package org.jupyterhealth.exchange.ingest.omh;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.path.PathType;
import com.networknt.schema.SpecificationVersion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Open mHealth and IEEE 1752 JSON schemas, loaded from the classpath ({@code omh-schemas/}) once: validation
 * never reaches the network. A data point's header is validated against the IEEE 1752 header schema and its body
 * against the schema named by the Observation's code ({@code omh:blood-glucose:4.0} →
 * {@code https://w3id.org/openmhealth/schemas/omh/blood-glucose-4.0.json}), as the original exchange does.
 * Thread-safe; compiled schemas are cached.
 */
@Singleton
public class OmhSchemas {
    public static final String OMH_BASE = "https://w3id.org/openmhealth/schemas/omh/";
    public static final String IEEE_BASE = "https://w3id.org/ieee/ieee-1752-schema/";
    public static final String HEADER_SCHEMA = IEEE_BASE + "header-1.0.json";

    private static final String ROOT = "omh-schemas/";
    private static final Pattern CODE = Pattern.compile("(omh|ieee):([a-z0-9][a-z0-9-]*):([0-9]+\\.[0-9x]+)");
    private static final Pattern ID = Pattern.compile("\"\\$id\"\\s*:\\s*\"([^\"]+)\"");

    private final SchemaRegistry registry;
    private final Map<String, String> contentByIri;
    private final Map<String, Optional<Schema>> compiled = new ConcurrentHashMap<>();

    public OmhSchemas() {
        this.contentByIri = loadAll();
        // like the original's validator: "format" is an annotation, not an assertion; paths as $.a.b
        SchemaRegistryConfig validation = new SchemaRegistryConfig.Builder()
                .formatAssertionsEnabled(false)
                .pathType(PathType.JSON_PATH)
                .locale(Locale.ENGLISH)
                .build();
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
                builder -> builder.schemaRegistryConfig(validation).schemaLoader(loader -> loader
                        .fetchRemoteResources(false)
                        .resourceLoaders(resources -> resources.resources(contentByIri))));
        schema(HEADER_SCHEMA).orElseThrow(() -> new IllegalStateException("header schema missing"));
    }

    /** The schema IRI for an Observation code of the form {@code namespace:name:version}, if it has that form. */
    public static Optional<String> schemaIriOf(String code) {
        if (code == null) {
            return Optional.empty();
        }
        Matcher matcher = CODE.matcher(code);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        String base = "omh".equals(matcher.group(1)) ? OMH_BASE : IEEE_BASE;
        return Optional.of(base + matcher.group(2) + "-" + matcher.group(3) + ".json");
    }

    /** Whether a body schema is available for the code. */
    public boolean knowsCode(String code) {
        return schemaIriOf(code).flatMap(this::schema).isPresent();
    }

    /**
     * Validates an Open mHealth data point ({@code {"header": ..., "body": ...}}) for the code.
     *
     * @return the first problem, naming the failing JSON path, or empty when the data point is valid
     */
    public Optional<String> validate(String code, JsonNode dataPoint) {
        Optional<Schema> bodySchema = schemaIriOf(code).flatMap(this::schema);
        if (bodySchema.isEmpty()) {
            return Optional.of("No Open mHealth schema is available for code " + code + ".");
        }
        if (dataPoint == null || !dataPoint.isObject()) {
            return Optional.of("The Open mHealth data point must be a JSON object with a header and a body.");
        }
        Optional<String> header = firstError("header", schema(HEADER_SCHEMA).orElseThrow(), dataPoint.get("header"));
        if (header.isPresent()) {
            return header;
        }
        return firstError("body", bodySchema.get(), dataPoint.get("body"));
    }

    private static Optional<String> firstError(String part, Schema schema, JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return Optional.of("$." + part + ": is missing but it is required");
        }
        List<Error> errors = schema.validate(node);
        if (errors.isEmpty()) {
            return Optional.empty();
        }
        Error error = errors.get(0);
        String location = error.getInstanceLocation().toString();
        String path = "$." + part + (location.startsWith("$") ? location.substring(1) : location);
        String message = error.getMessage();
        // the library's message starts with the location relative to the validated node: name it from the data point
        if (message.startsWith(location + ": ")) {
            message = message.substring(location.length() + 2);
        }
        return Optional.of(path + ": " + message);
    }

    private Optional<Schema> schema(String iri) {
        return compiled.computeIfAbsent(iri, key -> {
            if (!contentByIri.containsKey(key)) {
                return Optional.empty();
            }
            Schema schema = registry.getSchema(SchemaLocation.of(key));
            schema.initializeValidators();
            return Optional.of(schema);
        });
    }

    private static Map<String, String> loadAll() {
        Map<String, String> byIri = new HashMap<>();
        Map<String, String> byId = new HashMap<>();
        for (String file : read(ROOT + "index.txt").split("\n")) {
            file = file.strip();
            if (file.isEmpty()) {
                continue;
            }
            String content = read(ROOT + file);
            String name = file.substring(file.lastIndexOf('/') + 1);
            String base = file.startsWith("openmhealth/") ? OMH_BASE : IEEE_BASE;
            byIri.put(base + name, content);
            Matcher id = ID.matcher(content);
            if (id.find()) {
                byId.put(id.group(1), content);
            }
        }
        // a file is known by its own $id too, unless that id names another file
        byId.forEach(byIri::putIfAbsent);
        return Map.copyOf(byIri);
    }

    private static String read(String resource) {
        try (InputStream in = OmhSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing schema resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON reader whose trees this class validates (Jackson 3, as the schema library uses). */
    public static JsonMapper jsonMapper() {
        return JsonMapper.builder().build();
    }
}
