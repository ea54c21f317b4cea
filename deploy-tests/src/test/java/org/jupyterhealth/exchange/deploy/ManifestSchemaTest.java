package org.jupyterhealth.exchange.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/** Every overlay builds with kustomize and every resource it produces is one the cluster's API would accept. */
class ManifestSchemaTest {
    private final ManifestValidator validator = new ManifestValidator();

    static List<String> overlays() {
        return Repository.overlays();
    }

    @Test
    void thereAreALocalAndAProductionOverlay() {
        assertThat(Repository.overlays()).contains("local", "prod");
    }

    @ParameterizedTest(name = "overlay {0}")
    @MethodSource("overlays")
    void everyResourceOfTheOverlayIsValid(String overlay) {
        List<JsonNode> resources = Kustomize.build(Repository.overlay(overlay));

        assertThat(resources).hasSizeGreaterThan(20);
        assertThat(resources.stream().flatMap(r -> validator.validate(r).stream()).toList()).isEmpty();
        assertThat(Autoscaling.problems(resources, Autoscaling.partitions())).isEmpty();
    }

    static Stream<Arguments> brokenResources() {
        return Stream.of(
                Arguments.of("a misspelt Deployment field", """
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: broken}
                        spec:
                          replica: 2
                          selector: {matchLabels: {app: broken}}
                          template:
                            metadata: {labels: {app: broken}}
                            spec:
                              containers: [{name: broken, image: broken}]
                        """, "replica"),
                Arguments.of("a misspelt container field", """
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: broken}
                        spec:
                          selector: {matchLabels: {app: broken}}
                          template:
                            metadata: {labels: {app: broken}}
                            spec:
                              containers: [{name: broken, image: broken, readinesProbe: {}}]
                        """, "readinesProbe"),
                Arguments.of("a Deployment without a selector", """
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: broken}
                        spec:
                          template:
                            metadata: {labels: {app: broken}}
                            spec:
                              containers: [{name: broken, image: broken}]
                        """, "selector"),
                Arguments.of("a text where a number belongs", """
                        apiVersion: v1
                        kind: Service
                        metadata: {name: broken}
                        spec:
                          ports: [{name: http, port: eighty}]
                        """, "eighty"),
                Arguments.of("a ConfigMap value that is not a string", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata: {name: broken}
                        data:
                          JHE_DB_PORT: 5432
                        """, "JHE_DB_PORT"),
                Arguments.of("a kind the API does not have", """
                        apiVersion: apps/v1
                        kind: Deploymnet
                        metadata: {name: broken}
                        spec: {}
                        """, "no schema"),
                Arguments.of("a misspelt KafkaTopic field", """
                        apiVersion: kafka.strimzi.io/v1beta2
                        kind: KafkaTopic
                        metadata: {name: broken, labels: {strimzi.io/cluster: jhe-kafka}}
                        spec:
                          partition: 3
                          replicas: 1
                        """, "partition"),
                Arguments.of("a KafkaTopic with a text partition count", """
                        apiVersion: kafka.strimzi.io/v1beta2
                        kind: KafkaTopic
                        metadata: {name: broken}
                        spec:
                          partitions: many
                        """, "partitions"),
                Arguments.of("a Kafka listener without a port", """
                        apiVersion: kafka.strimzi.io/v1beta2
                        kind: Kafka
                        metadata: {name: broken}
                        spec:
                          kafka:
                            listeners: [{name: plain, type: internal, tls: false}]
                        """, "port"),
                Arguments.of("a misspelt CloudNativePG Cluster field", """
                        apiVersion: postgresql.cnpg.io/v1
                        kind: Cluster
                        metadata: {name: broken}
                        spec:
                          instances: 1
                          storage: {size: 1Gi}
                          managed:
                            roles: [{name: jhe_admin, login: true, passwordSecrets: {name: admin-service-db}}]
                        """, "passwordSecrets"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenResources")
    void aBrokenResourceIsRefused(String what, String yaml, String named, @TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("kustomization.yaml"), "resources:\n  - broken.yaml\n");
        Files.writeString(dir.resolve("broken.yaml"), yaml);

        List<JsonNode> resources = Kustomize.build(dir);
        List<String> problems = validator.validate(resources.get(0));

        assertThat(problems).as(what).isNotEmpty();
        assertThat(String.join("\n", problems)).contains(named);
    }

    @Test
    void aMistakeInTheBaseIsFoundInTheOverlaysBuiltFromIt(@TempDir Path copy) throws IOException {
        copyTree(Repository.k8s(), copy);
        Path deployment = copy.resolve("base/fhir-service/deployment.yaml");
        Files.writeString(deployment, Files.readString(deployment)
                .replace("readOnlyRootFilesystem: true", "readOnlyRootFileSystem: true"));

        List<String> problems = Kustomize.build(copy.resolve("overlays/prod")).stream()
                .flatMap(r -> validator.validate(r).stream()).toList();

        assertThat(problems).singleElement().asString()
                .contains("Deployment/fhir-service").contains("readOnlyRootFileSystem");
    }

    @Test
    void aKustomizationThatNamesAMissingFileDoesNotBuild(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("kustomization.yaml"), "resources:\n  - deployment.yaml\n");

        assertThatThrownBy(() -> Kustomize.build(dir))
                .isInstanceOf(Kustomize.BuildFailure.class)
                .hasMessageContaining("deployment.yaml");
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
