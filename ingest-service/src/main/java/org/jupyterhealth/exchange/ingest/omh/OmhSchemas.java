package org.jupyterhealth.exchange.ingest.omh;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import org.jupyterhealth.exchange.common.upload.EntryOutcome;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.PathType;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Open mHealth and IEEE 1752 JSON schemas, loaded from the classpath ({@code omh-schemas/}) once: validation
 * never reaches the network. A data point's header is validated against the IEEE 1752 header schema and its body
 * against the schema named by the Observation's code ({@code omh:blood-glucose:4.0} →
 * {@code https://w3id.org/openmhealth/schemas/omh/blood-glucose-4.0.json}), as the original exchange does.
 * Unlike the original, the header must name that same schema ({@code header.schema_id}), the {@code date-time} and
 * {@code uuid} formats are asserted (an impossible date or a malformed uuid is refused), and the values must be
 * storable and plausible ({@link DataPointValues}). Thread-safe; compiled schemas are cached.
 */
@Singleton
public class OmhSchemas {
    public static final String OMH_BASE = "https://w3id.org/openmhealth/schemas/omh/";
    public static final String IEEE_BASE = "https://w3id.org/ieee/ieee-1752-schema/";
    public static final String HEADER_SCHEMA = IEEE_BASE + "header-1.0.json";

    private static final String ROOT = "omh-schemas/";
    private static final Pattern CODE = Pattern.compile("(omh|ieee):([a-z0-9][a-z0-9-]*):([0-9]+\\.[0-9x]+)");
    private static final Pattern ID = Pattern.compile("\"\\$id\"\\s*:\\s*\"([^\"]+)\"");
    /** Keywords whose error only says that their sub-schemas did not match (those errors follow it). */
    private static final Set<String> COMBINERS = Set.of("oneOf", "anyOf", "allOf");

    private final SchemaRegistry registry;
    private final Map<String, String> contentByIri;
    private final Map<String, Optional<Schema>> compiled = new ConcurrentHashMap<>();

    public OmhSchemas() {
        this.contentByIri = loadAll();
        // "format" is asserted for date-time and uuid only: the other formats of these schemas (iri, uri) name
        // references that real apps fill with plain names (a datasheet_reference of "iHealth"); paths as $.a.b
        SchemaRegistryConfig validation = new SchemaRegistryConfig.Builder()
                .formatAssertionsEnabled(true)
                .pathType(PathType.JSON_PATH)
                .locale(Locale.ENGLISH)
                .build();
        // the Open mHealth schemas are draft 4, the IEEE 1752 ones draft 7
        this.registry = SchemaRegistry.withDialects(
                List.of(assertingDatesAndUuids(Dialects.getDraft4()), assertingDatesAndUuids(Dialects.getDraft7())),
                builder -> builder.defaultDialectId(Dialects.getDraft7().getId()).schemaRegistryConfig(validation)
                        .schemaLoader(loader -> loader
                                .fetchRemoteResources(false)
                                .resourceLoaders(resources -> resources.resources(contentByIri))));
        schema(HEADER_SCHEMA).orElseThrow(() -> new IllegalStateException("header schema missing"));
    }

    /** The dialect with only the formats checked here: date-time (as Open mHealth reads it) and uuid. */
    private static Dialect assertingDatesAndUuids(Dialect dialect) {
        return Dialect.builder(dialect).formats(formats -> {
            formats.keySet().retainAll(List.of("uuid"));
            formats.put(OpenMHealthDateTime.NAME, new OpenMHealthDateTime());
        }).build();
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
     * Validates an Open mHealth data point ({@code {"header": ..., "body": ...}}) for the code: the header and body
     * schemas, the header's {@code schema_id} against the code, then the values ({@link DataPointValues}).
     *
     * @return the first problem, naming the failing JSON path, or empty when the data point is valid
     */
    public Optional<String> validate(String code, JsonNode dataPoint) {
        Optional<Schema> bodySchema = schemaIriOf(code).flatMap(this::schema);
        if (bodySchema.isEmpty()) {
            return Optional.of("No Open mHealth schema is available for code " + EntryOutcome.quote(code) + ".");
        }
        if (dataPoint == null || !dataPoint.isObject()) {
            return Optional.of("The Open mHealth data point must be a JSON object with a header and a body.");
        }
        Optional<String> header = firstError("header", schema(HEADER_SCHEMA).orElseThrow(), dataPoint.get("header"));
        if (header.isPresent()) {
            return header;
        }
        Optional<String> named = schemaIdProblem(code, dataPoint.get("header").get("schema_id"));
        if (named.isPresent()) {
            return named;
        }
        Optional<String> body = firstError("body", bodySchema.get(), dataPoint.get("body"));
        return body.isPresent() ? body : DataPointValues.firstProblem(dataPoint);
    }

    /** The header must name the schema the Observation's code names (the header schema requires all three parts). */
    private static Optional<String> schemaIdProblem(String code, JsonNode schemaId) {
        Matcher parts = CODE.matcher(code);
        if (!parts.matches()) {
            return Optional.of("No Open mHealth schema is available for code " + EntryOutcome.quote(code) + ".");
        }
        String namespace = schemaId.path("namespace").asString("");
        String name = schemaId.path("name").asString("");
        String version = schemaId.path("version").asString("");
        if (namespace.equals(parts.group(1)) && name.equals(parts.group(2)) && version.equals(parts.group(3))) {
            return Optional.empty();
        }
        return Optional.of("$.header.schema_id: names the schema " + EntryOutcome.quote(namespace + ":" + name + ":"
                + version) + ", but the Observation's code is " + code + ".");
    }

    private static Optional<String> firstError(String part, Schema schema, JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return Optional.of("$." + part + ": is missing but it is required");
        }
        List<Error> errors = schema.validate(node);
        if (errors.isEmpty()) {
            return Optional.empty();
        }
        // the most precise error: a "oneOf" (a time frame is a date-time or an interval) reports that no branch
        // matched, and then each branch's errors; the deepest of those names what is wrong
        Error error = errors.stream().filter(e -> !COMBINERS.contains(e.getKeyword()))
                .max(Comparator.comparingInt(e -> e.getInstanceLocation().getNameCount()))
                .orElse(errors.get(0));
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

    /**
     * A JSON reader whose trees this class validates (Jackson 3, as the schema library uses). Decimals are read
     * exactly: a double would read {@code 1e-20000} as 0, a number PostgreSQL refuses to store.
     */
    public static JsonMapper jsonMapper() {
        return JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    }

    /** A data point's tree, read from its JSON text by a reader of {@link #jsonMapper()}; null when it is not JSON. */
    public static JsonNode readDataPoint(JsonMapper reader, String text) {
        try {
            return reader.readTree(text);
        } catch (JacksonException e) {
            return null;
        }
    }
}
