package org.jupyterhealth.exchange.ingest.resource;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r5.model.Resource;
import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.common.fhir.ResourceStore;
import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.common.upload.UploadEntry;
import org.jupyterhealth.exchange.ingest.resource.CheckedResource.Operation;
import org.jupyterhealth.exchange.ingest.upload.EntryChecker;
import org.jupyterhealth.exchange.ingest.upload.ResourceJsonTypes;
import org.jupyterhealth.exchange.ingest.upload.ResourceText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeChildExtension;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.JsonParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ScalarType;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ValueType;
import ca.uhn.fhir.parser.json.jackson.JacksonStructure;

/**
 * The checks of an entry of the FHIR resource store that need nothing but the entry: which entries belong to the
 * store at all, the request (create, update or delete of a store type), the resource's text and JSON types, its
 * FHIR R5 structure (HAPI FHIR, strict) and required elements (the R5 model's minimum cardinalities), the
 * {@code ifMatch} version and the FHIR source it names. Failures name the element's FHIRPath. CPU-bound: callers run
 * it on a worker thread.
 */
@Singleton
public class ResourceChecker {
    private static final Logger LOG = Logger.getLogger(ResourceChecker.class);
    /** A request URL: optionally absolute, then {@code Type} or {@code Type/id}. */
    private static final Pattern URL = Pattern.compile(
            "(?:https?://[^\\s?#]*/)?/?([A-Z][A-Za-z]{1,63})(?:/([^/\\s?#]{1,128}))?/?");
    private static final Pattern VERSION = Pattern.compile("(?:W/)?\"?([1-9][0-9]{0,17})\"?");
    /** Longest upstream id kept as such; a longer one becomes an identifier (docs/compatibility.md). */
    public static final int MAX_UPSTREAM_ID = 64;

    private final FhirContext fhir;
    private final ResourceJsonTypes types;
    private final ThreadLocal<JsonParser> parsers;
    private final ThreadLocal<Locating> handlers = ThreadLocal.withInitial(Locating::new);

    public ResourceChecker(FhirContext fhir) {
        this.fhir = fhir;
        this.types = new ResourceJsonTypes(fhir);
        this.parsers = ThreadLocal.withInitial(
                () -> (JsonParser) fhir.newJsonParser().setParserErrorHandler(handlers.get()));
    }

    /**
     * Whether the entry is the resource store's: a create of a store type (an Observation only when none of its
     * codings is Open mHealth or IEEE 1752), or an update or delete of a store type by a store id (an Observation's
     * integer id stays with the observation store).
     */
    public static boolean isStoreEntry(UploadEntry entry) {
        if (entry == null || entry.method() == null || entry.url() == null) {
            return false;
        }
        Matcher url = URL.matcher(entry.url());
        if (!url.matches() || !ResourceStore.isStoreType(url.group(1))) {
            return false;
        }
        String type = url.group(1);
        String id = url.group(2);
        return switch (entry.method()) {
            case "POST" -> id == null && (!"Observation".equals(type) || !isOpenMHealth(entry.resource()));
            case "PUT", "DELETE" -> id != null && (!"Observation".equals(type) || ResourceStore.isStoreId(id));
            default -> false;
        };
    }

    private static boolean isOpenMHealth(JsonNode resource) {
        if (resource == null || !resource.isObject() || !"Observation".equals(resource.path("resourceType").asText())) {
            return true; // not an Observation: the observation checks say what is wrong with it
        }
        for (JsonNode coding : resource.path("code").path("coding")) {
            String system = coding.path("system").asText("");
            if (EntryChecker.OMH_SYSTEM.equals(system) || EntryChecker.IEEE_SYSTEM.equals(system)) {
                return true;
            }
        }
        return false;
    }

    public CheckedResource check(int index, UploadEntry entry) {
        try {
            return checkUnsafe(index, entry);
        } catch (RuntimeException e) {
            LOG.errorf(e, "store entry %d could not be checked", index);
            return CheckedResource.rejected(index, EntryOutcome.failed(422, "processing",
                    "The entry could not be processed."));
        }
    }

    private CheckedResource checkUnsafe(int index, UploadEntry entry) {
        Matcher url = URL.matcher(entry.url());
        url.matches();
        String type = url.group(1);
        String id = url.group(2);
        Operation operation = switch (entry.method()) {
            case "POST" -> Operation.CREATE;
            case "PUT" -> Operation.UPDATE;
            default -> Operation.DELETE;
        };
        if (id != null && !ResourceStore.isStoreId(id)) {
            return CheckedResource.rejected(index, EntryOutcome.failed(404, "not-found",
                    type + "/" + EntryOutcome.quote(id) + " is not known."));
        }
        Long ifMatch = null;
        if (entry.ifMatch() != null && operation != Operation.CREATE) {
            Matcher version = VERSION.matcher(entry.ifMatch().trim());
            if (!version.matches()) {
                return CheckedResource.rejected(index, invalid("If-Match must name a version: W/\"<versionId>\".",
                        null));
            }
            ifMatch = Long.valueOf(version.group(1));
        }
        if (operation == Operation.DELETE) {
            return new CheckedResource(index, null, operation, type, id, ifMatch, entry.fhirSourceId(), null, null);
        }
        JsonNode json = entry.resource();
        if (!(json instanceof ObjectNode object)) {
            return CheckedResource.rejected(index, invalid("The entry has no resource: a JSON object is expected.",
                    null));
        }
        if (!type.equals(object.path("resourceType").asText(null))) {
            return CheckedResource.rejected(index, invalid("resourceType must be " + type + ", as the request "
                    + "URL says.", "resourceType"));
        }
        String text = ResourceText.firstProblem(type, object);
        if (text == null) {
            text = types.firstProblem(object);
        }
        if (text != null) {
            return CheckedResource.rejected(index, invalid("The resource is not a valid FHIR R5 resource: " + text,
                    pathOf(text)));
        }
        IBaseResource parsed;
        Locating located = handlers.get();
        try {
            JacksonStructure structure = new JacksonStructure();
            structure.setNativeObject(object);
            located.reset();
            parsed = parsers.get().parseResource(structure);
        } catch (DataFormatException e) {
            String path = located.element == null ? null : locate(object, type, located.element, located.value);
            return CheckedResource.rejected(index, invalid("The resource is not a valid FHIR R5 resource: "
                    + concise(e), path == null ? type : path));
        } catch (RuntimeException e) {
            return CheckedResource.rejected(index, invalid("The resource is not a valid FHIR R5 resource.", type));
        }
        if (!(parsed instanceof Resource resource) || !type.equals(resource.fhirType())) {
            return CheckedResource.rejected(index, invalid("resourceType must be " + type + ".", "resourceType"));
        }
        String missing = missingRequired(resource, fhir.getResourceDefinition(resource), type);
        if (missing != null) {
            return CheckedResource.rejected(index, invalid("The resource is not a valid FHIR R5 resource: "
                    + missing + " is required.", missing));
        }
        String bodyId = resource.getIdPart();
        if (operation == Operation.UPDATE && bodyId != null && !bodyId.equals(id)) {
            return CheckedResource.rejected(index, invalid("The resource's id must be the id of the request URL, "
                    + "or absent.", type + ".id"));
        }
        Long sourceId = entry.fhirSourceId();
        if (sourceId == null && resource.hasMeta() && resource.getMeta().hasSource()) {
            sourceId = ResourceStore.sourceId(resource.getMeta().getSource());
        }
        String upstream = operation == Operation.CREATE ? bodyId : null;
        return new CheckedResource(index, null, operation, type, id, ifMatch, sourceId, upstream, resource);
    }

    /**
     * The FHIRPath of the first element the R5 model requires (minimum cardinality 1) that the resource lacks, or
     * null; elements are looked into only where they are present.
     */
    private String missingRequired(IBase element, BaseRuntimeElementCompositeDefinition<?> definition, String path) {
        for (BaseRuntimeChildDefinition child : definition.getChildren()) {
            if (child instanceof RuntimeChildExtension) {
                continue;
            }
            List<IBase> values = child.getAccessor().getValues(element);
            String name = child.getElementName().replace("[x]", "");
            if (values.isEmpty()) {
                if (child.getMin() > 0) {
                    return path + "." + name;
                }
                continue;
            }
            for (int i = 0; i < values.size(); i++) {
                IBase value = values.get(i);
                if (value instanceof IPrimitiveType<?> || value instanceof IBaseResource) {
                    continue;
                }
                BaseRuntimeElementDefinition<?> valueDefinition = fhir.getElementDefinition(value.getClass());
                if (valueDefinition instanceof BaseRuntimeElementCompositeDefinition<?> composite) {
                    String found = missingRequired(value, composite,
                            path + "." + name + (child.getMax() != 1 ? "[" + i + "]" : ""));
                    if (found != null) {
                        return found;
                    }
                }
            }
        }
        return null;
    }

    /**
     * The FHIRPath of the first element of this name (a primitive's {@code _name} counts as it) whose value is this
     * one (any value when null), depth first in the resource's order; null when there is none.
     */
    static String locate(JsonNode node, String path, String element, String value) {
        if (node.isObject()) {
            var fields = node.fields();
            while (fields.hasNext()) {
                var field = fields.next();
                String key = field.getKey();
                String name = key.startsWith("_") ? key.substring(1) : key;
                JsonNode child = field.getValue();
                if (name.equals(element) && (value == null || holds(child, value))) {
                    return path + "." + name + (child.isArray() && value != null ? indexOf(child, value) : "");
                }
                String found = locate(child, path + "." + name, element, value);
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = locate(node.get(i), path + "[" + i + "]", element, value);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static boolean holds(JsonNode node, String value) {
        if (node.isValueNode()) {
            return value.equals(node.asText());
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (item.isValueNode() && value.equals(item.asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String indexOf(JsonNode array, String value) {
        for (int i = 0; i < array.size(); i++) {
            if (value.equals(array.get(i).asText())) {
                return "[" + i + "]";
            }
        }
        return "";
    }

    /**
     * The strict parser's error handler, remembering which element (and value) the parser refused, so that the
     * failure names the element's path rather than the resource: HAPI FHIR tells an element's name, not its path.
     */
    static final class Locating extends StrictErrorHandler {
        String element;
        String value;

        void reset() {
            element = null;
            value = null;
        }

        private void at(String element, String value) {
            this.element = element;
            this.value = value;
        }

        @Override
        public void invalidValue(IParseLocation location, String value, String error) {
            at(location == null ? null : location.getParentElementName(), value);
            super.invalidValue(location, value, error);
        }

        @Override
        public void unknownElement(IParseLocation location, String name) {
            at(name, null);
            super.unknownElement(location, name);
        }

        @Override
        public void unknownAttribute(IParseLocation location, String name) {
            at(name, null);
            super.unknownAttribute(location, name);
        }

        @Override
        public void unexpectedRepeatingElement(IParseLocation location, String name) {
            at(name, null);
            super.unexpectedRepeatingElement(location, name);
        }

        @Override
        public void missingRequiredElement(IParseLocation location, String name) {
            at(name, null);
            super.missingRequiredElement(location, name);
        }

        @Override
        public void incorrectJsonType(IParseLocation location, String name, ValueType expected,
                ScalarType expectedScalar, ValueType found, ScalarType foundScalar) {
            at(name, null);
            super.incorrectJsonType(location, name, expected, expectedScalar, found, foundScalar);
        }
    }

    /** The FHIRPath a message of the JSON checks begins with ("Type.a.b must ..."), or null. */
    private static String pathOf(String message) {
        int space = message.indexOf(' ');
        String first = space < 0 ? message : message.substring(0, space);
        return first.matches("[A-Z][A-Za-z]*(\\.[A-Za-z_][A-Za-z0-9_]*(\\[[0-9]+\\])?)*") ? first : null;
    }

    private static String concise(DataFormatException e) {
        String message = e.getMessage() == null ? "unreadable" : e.getMessage();
        message = message.replaceFirst("^HAPI-\\d+: ", "");
        return message.length() > 200 ? message.substring(0, 200) + "..." : message;
    }

    private static EntryOutcome invalid(String diagnostics, String expression) {
        return EntryOutcome.failedAt(400, "invalid", diagnostics, expression);
    }
}
