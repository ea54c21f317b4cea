package org.jupyterhealth.exchange.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** docker-compose.yml, read as the Compose specification defines it. */
final class ComposeFile {
    private ComposeFile() {
    }

    static JsonNode read() {
        try {
            return Manifests.YAML.readTree(Repository.composeFile().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode service(String name) {
        JsonNode service = read().path("services").path(name);
        if (service.isMissingNode()) {
            throw new AssertionError("docker-compose.yml has no service " + name);
        }
        return service;
    }

    /** The environment of a compose service, from its map or list form. */
    static Map<String, String> environment(String name) {
        JsonNode environment = service(name).path("environment");
        Map<String, String> variables = new LinkedHashMap<>();
        if (environment.isArray()) {
            environment.forEach(entry -> {
                String[] pair = entry.asText().split("=", 2);
                variables.put(pair[0], pair.length > 1 ? pair[1] : null);
            });
        } else {
            environment.fields().forEachRemaining(e -> variables.put(e.getKey(),
                    e.getValue().isNull() ? null : e.getValue().asText()));
        }
        return variables;
    }
}
