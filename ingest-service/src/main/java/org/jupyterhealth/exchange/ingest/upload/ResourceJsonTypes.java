package org.jupyterhealth.exchange.ingest.upload;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeChildExtension;
import ca.uhn.fhir.parser.DataFormatException;

/**
 * The JSON types of an uploaded resource, checked against the FHIR R5 model before HAPI FHIR reads it. HAPI FHIR's
 * parser takes any JSON scalar as a primitive's text (a number or {@code true} becomes the string "123" or "true")
 * and a one-element array as a single element, whatever its error handler: it asks the handler only about objects
 * and arrays of complex elements. FHIR's JSON format says what each element is: a string for most primitives, a
 * boolean for {@code boolean}, a number for {@code integer}, {@code positiveInt}, {@code unsignedInt} and
 * {@code decimal}, an object for complex types and resources, an array exactly when the element repeats. Anything
 * else is refused, naming the element's path. {@code null} is left to HAPI FHIR, which reads it as absent (it also
 * stands for a repetition that only has an extension). Names that are no element of the type are HAPI FHIR's
 * (strict) parser's to refuse.
 */
public final class ResourceJsonTypes {
    private final FhirContext fhir;
    /** Extension's definition: what {@code extension} and {@code modifierExtension} hold everywhere. */
    private final BaseRuntimeElementCompositeDefinition<?> extension;
    /** {@code Extension.extension}: the extensions of a primitive's {@code _name} object are read as this child. */
    private final BaseRuntimeChildDefinition nestedExtensions;

    public ResourceJsonTypes(FhirContext fhir) {
        this.fhir = fhir;
        this.extension = (BaseRuntimeElementCompositeDefinition<?>) fhir.getElementDefinition("Extension");
        this.nestedExtensions = extension.getChildByName("extension");
    }

    /**
     * The first element of the resource whose JSON type is wrong, as "its path must be ...", or null (also when the
     * resource names no known type: that is the parser's to say).
     */
    public String firstProblem(JsonNode resource) {
        return resource(resource, null);
    }

    private String object(BaseRuntimeElementCompositeDefinition<?> definition, JsonNode object, String path) {
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            String name = field.getKey();
            String found = name.length() > 1 && name.charAt(0) == '_'
                    ? primitiveElement(definition.getChildByName(name.substring(1)), field.getValue(),
                            path + "." + name)
                    : child(definition.getChildByName(name), name, field.getValue(), path + "." + name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** One JSON property that names a child of the type (a null child: no element of this name). */
    private String child(BaseRuntimeChildDefinition child, String name, JsonNode value, String path) {
        if (child == null) {
            return null;
        }
        BaseRuntimeElementDefinition<?> element = child instanceof RuntimeChildExtension ? extension
                : child.getChildByName(name);
        if (element == null) {
            return null;
        }
        boolean repeats = child.getMax() != 1;
        if (value.isArray()) {
            if (!repeats) {
                return path + " holds one value: it must not be an array.";
            }
            for (int i = 0; i < value.size(); i++) {
                String found = value(element, value.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (repeats && !value.isNull()) {
            return path + " repeats: it must be an array, not " + kind(value) + ".";
        }
        return value(element, value, path);
    }

    private String value(BaseRuntimeElementDefinition<?> element, JsonNode value, String path) {
        if (value.isNull()) {
            return null;
        }
        return switch (element.getChildType()) {
            case PRIMITIVE_DATATYPE, ID_DATATYPE, PRIMITIVE_XHTML, PRIMITIVE_XHTML_HL7ORG ->
                primitive(element.getName(), value, path);
            case RESOURCE, CONTAINED_RESOURCES, CONTAINED_RESOURCE_LIST -> resource(value, path);
            default -> element instanceof BaseRuntimeElementCompositeDefinition<?> composite
                    ? value.isObject() ? object(composite, value, path)
                            : path + " must be a JSON object, not " + kind(value) + "."
                    : null;
        };
    }

    /** The JSON type of a primitive's value, by its FHIR datatype. */
    private static String primitive(String datatype, JsonNode value, String path) {
        return switch (datatype) {
            case "boolean" -> value.isBoolean() ? null : path + " must be true or false, not " + kind(value) + ".";
            case "integer", "positiveInt", "unsignedInt" -> value.isIntegralNumber() ? null
                    : path + " must be a whole JSON number, not " + kind(value) + ".";
            case "decimal" -> value.isNumber() ? null : path + " must be a JSON number, not " + kind(value) + ".";
            // every other primitive, integer64 included, is a JSON string
            default -> value.isTextual() ? null : path + " must be a JSON string, not " + kind(value) + ".";
        };
    }

    /** A resource (at {@code path}, or the top one for null): an object of the type it names. */
    private String resource(JsonNode value, String path) {
        if (!value.isObject()) {
            return path + " must be a JSON object, not " + kind(value) + ".";
        }
        JsonNode type = value.get("resourceType");
        if (type == null || !type.isTextual()) {
            return null;
        }
        BaseRuntimeElementCompositeDefinition<?> definition;
        try {
            definition = fhir.getResourceDefinition(type.textValue());
        } catch (DataFormatException e) {
            return null;
        }
        return object(definition, value, path == null ? definition.getName() : path);
    }

    /**
     * {@code _name}: the id and extensions of a primitive element ({@code {"id": ..., "extension": [...]}}), one per
     * repetition when the element repeats ({@code null} for a repetition that has none).
     */
    private String primitiveElement(BaseRuntimeChildDefinition child, JsonNode value, String path) {
        if (child == null) {
            return null;
        }
        if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                String found = primitiveElementOnce(value.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        return primitiveElementOnce(value, path);
    }

    private String primitiveElementOnce(JsonNode value, String path) {
        if (value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            return path + " must be a JSON object, not " + kind(value) + ".";
        }
        JsonNode id = value.get("id");
        if (id != null && !id.isNull() && !id.isTextual()) {
            return path + ".id must be a JSON string, not " + kind(id) + ".";
        }
        JsonNode extensions = value.get("extension");
        return extensions == null ? null
                : child(nestedExtensions, "extension", extensions, path + ".extension");
    }

    /** What a JSON value is, as a message names it; never the value itself. */
    private static String kind(JsonNode value) {
        if (value.isTextual()) {
            return "a string";
        } else if (value.isBoolean()) {
            return "a boolean";
        } else if (value.isIntegralNumber()) {
            return "a whole number";
        } else if (value.isNumber()) {
            return "a decimal number";
        } else if (value.isArray()) {
            return "an array";
        } else if (value.isObject()) {
            return "an object";
        }
        return "null";
    }
}
