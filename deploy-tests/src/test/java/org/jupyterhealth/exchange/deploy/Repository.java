package org.jupyterhealth.exchange.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the deployment files and the services' sources are, in the repository these tests run in. */
final class Repository {
    /** The six services: artifact id = folder = image name = Deployment and compose service name. */
    static final List<String> SERVICES = List.of("gateway", "identity-service", "admin-service", "fhir-service",
            "ingest-service", "console");

    private Repository() {
    }

    static Path root() {
        return Path.of(System.getProperty("jhe.repository.root", "..")).toAbsolutePath().normalize();
    }

    static Path k8s() {
        return root().resolve("deploy/k8s");
    }

    static Path overlay(String name) {
        return k8s().resolve("overlays").resolve(name);
    }

    /** Every overlay folder under deploy/k8s/overlays. */
    static List<String> overlays() {
        try (Stream<Path> entries = Files.list(k8s().resolve("overlays"))) {
            return entries.filter(p -> Files.isRegularFile(p.resolve("kustomization.yaml")))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path composeFile() {
        return root().resolve("docker-compose.yml");
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
