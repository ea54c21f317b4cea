package org.jupyterhealth.exchange.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.Spliterators;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** Kubernetes resources as JSON trees, as kustomize prints them. */
final class Manifests {
    static final ObjectMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();

    private Manifests() {
    }

    /** Every document of a multi-document YAML text (empty documents skipped). */
    static List<JsonNode> parseAll(String yaml) {
        try {
            var parser = new YAMLFactory().createParser(yaml);
            return StreamSupport.stream(
                    Spliterators.spliteratorUnknownSize(YAML.readValues(parser, JsonNode.class), 0), false)
                    .filter(node -> node != null && !node.isNull() && !node.isMissingNode())
                    .map(JsonNode.class::cast)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String kind(JsonNode resource) {
        return resource.path("kind").asText();
    }

    static String name(JsonNode resource) {
        return resource.path("metadata").path("name").asText();
    }

    /** {@code Kind/name}, as kubectl names a resource. */
    static String id(JsonNode resource) {
        return kind(resource) + "/" + name(resource);
    }

    static List<JsonNode> ofKind(List<JsonNode> resources, String kind) {
        return resources.stream().filter(r -> kind.equals(kind(r))).toList();
    }

    static Optional<JsonNode> find(List<JsonNode> resources, String kind, String name) {
        return resources.stream().filter(r -> kind.equals(kind(r)) && name.equals(name(r))).findFirst();
    }

    static JsonNode get(List<JsonNode> resources, String kind, String name) {
        return find(resources, kind, name)
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " in the manifests"));
    }
}
