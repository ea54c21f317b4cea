package org.jupyterhealth.exchange.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * docker compose, every Kubernetes overlay and the services themselves agree on the environment variables: both
 * deployments set the same variables for a service, every variable names a configuration key the service has, and
 * every key whose default is only good on a developer's machine (a 127.0.0.1 or localhost address, the
 * {@code local-trust} password, a {@code .jhe/} folder) is set by both. Each disagreement is listed, so that a new
 * key is added to compose and Kubernetes together.
 */
class EnvironmentAgreementTest {
    /**
     * Variables for the container's JVM, not the service's configuration: its direct memory as a share of the
     * container's memory limit (which compose does not set), checked by {@link ContainerMemoryTest}.
     */
    static final Set<String> JVM_SIZING = Set.of("JDK_JAVA_OPTIONS", "JHE_DIRECT_MEMORY_MIB");

    static List<String> services() {
        return Repository.SERVICES;
    }

    /** The environment variable names a service's container gets in an overlay: env, and envFrom ConfigMaps. */
    static Set<String> kubernetesEnvironment(String overlay, String service) {
        List<JsonNode> resources = Kustomize.overlay(overlay);
        JsonNode container = Manifests.get(resources, "Deployment", service)
                .path("spec").path("template").path("spec").path("containers").get(0);
        Set<String> names = new TreeSet<>();
        container.path("env").forEach(e -> names.add(e.path("name").asText()));
        container.path("envFrom").forEach(source -> {
            String map = source.path("configMapRef").path("name").asText(null);
            String secret = source.path("secretRef").path("name").asText(null);
            JsonNode data = map != null ? Manifests.get(resources, "ConfigMap", map).path("data")
                    : Manifests.find(resources, "Secret", secret).map(s -> s.path("stringData")).orElseThrow(
                            () -> new AssertionError(service + " reads every key of Secret " + secret
                                    + ", which the manifests do not define: name the keys with env instead"));
            data.fieldNames().forEachRemaining(names::add);
        });
        return names;
    }

    /** Every disagreement about one service's environment, in words. */
    static List<String> disagreements(String service) {
        ServiceConfig config = ServiceConfig.of(service);
        Set<String> compose = new TreeSet<>(ComposeFile.environment(service).keySet());
        List<String> problems = new ArrayList<>();
        for (String overlay : Repository.overlays()) {
            Set<String> kubernetes = kubernetesEnvironment(overlay, service);
            kubernetes.removeAll(JVM_SIZING);
            difference(compose, kubernetes).forEach(v -> problems.add(
                    v + " is set by docker-compose.yml but not by the Kubernetes overlay " + overlay));
            difference(kubernetes, compose).forEach(v -> problems.add(
                    v + " is set by the Kubernetes overlay " + overlay + " but not by docker-compose.yml"));
            kubernetes.stream().filter(v -> !config.knows(v)).forEach(v -> problems.add(
                    v + " (Kubernetes overlay " + overlay + ") is not a configuration key of " + service));
            config.requiredEnv().forEach((variable, keyAndDefault) -> {
                if (!kubernetes.contains(variable)) {
                    problems.add(variable + " must be set by the Kubernetes overlay " + overlay
                            + " (the default " + keyAndDefault + " is for a developer's machine)");
                }
            });
        }
        compose.stream().filter(v -> !config.knows(v)).forEach(v -> problems.add(
                v + " (docker-compose.yml) is not a configuration key of " + service));
        config.requiredEnv().forEach((variable, keyAndDefault) -> {
            if (!compose.contains(variable)) {
                problems.add(variable + " must be set by docker-compose.yml (the default " + keyAndDefault
                        + " is for a developer's machine)");
            }
        });
        return problems.stream().map(p -> service + ": " + p).toList();
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> rest = new TreeSet<>(a);
        rest.removeAll(b);
        return rest;
    }

    @ParameterizedTest
    @MethodSource("services")
    void composeKubernetesAndTheServiceAgreeOnItsEnvironment(String service) {
        assertThat(disagreements(service)).isEmpty();
    }

    @Test
    void theBodyLimitIsOneSettingThatEveryServiceTakesFromTheSamePlace() {
        for (String service : Repository.SERVICES) {
            ServiceConfig config = ServiceConfig.of(service);
            assertThat(config.properties.getProperty("quarkus.http.limits.max-body-size")).as(service)
                    .isEqualTo("${jhe.max-body-size}");
            assertThat(ComposeFile.environment(service)).as(service)
                    .containsEntry("JHE_MAX_BODY_SIZE", "${JHE_MAX_BODY_SIZE:-20M}");
            for (String overlay : Repository.overlays()) {
                JsonNode container = Manifests.get(Kustomize.overlay(overlay), "Deployment", service)
                        .path("spec").path("template").path("spec").path("containers").get(0);
                boolean fromPlatform = container.path("envFrom").findValues("name").stream()
                        .anyMatch(n -> n.asText().equals("jhe-platform"));
                for (JsonNode variable : container.path("env")) {
                    fromPlatform |= variable.path("name").asText().equals("JHE_MAX_BODY_SIZE") && variable
                            .path("valueFrom").path("configMapKeyRef").path("name").asText().equals("jhe-platform");
                }
                assertThat(fromPlatform).as(service + " reads JHE_MAX_BODY_SIZE of jhe-platform in " + overlay)
                        .isTrue();
            }
        }
        assertThat(ServiceConfig.of("fhir-service").properties.getProperty("jhe.fhir.upload.max-body-size"))
                .isEqualTo("${jhe.max-body-size}");
    }

    @Test
    void theServicesConfigurationIsReadFromTheirOwnFiles() {
        ServiceConfig identity = ServiceConfig.of("identity-service");
        ServiceConfig gateway = ServiceConfig.of("gateway");

        assertThat(identity.knows("JHE_IDENTITY_SIGNING_KEYS_DIR")).isTrue();
        assertThat(identity.knows("JHE_DB_HOST")).isTrue();
        assertThat(identity.knows("JHE_IDENTITY_SIGNING_KEYS_DIRECTORY")).isFalse();
        assertThat(identity.requiredEnv()).containsKeys("JHE_DB_HOST", "JHE_KAFKA_BOOTSTRAP",
                "JHE_IDENTITY_PUBLIC_URL", "QUARKUS_FLYWAY_PASSWORD", "JHE_IDENTITY_SIGNING_KEYS_DIR");
        assertThat(gateway.knows("JHE_GATEWAY_UPSTREAM_TIMEOUT")).isTrue();
        assertThat(gateway.requiredEnv()).containsOnlyKeys("JHE_GATEWAY_IDENTITY_URL", "JHE_GATEWAY_ADMIN_URL",
                "JHE_GATEWAY_FHIR_URL", "JHE_GATEWAY_CONSOLE_URL");
    }

    @Test
    void aVariableTheServiceDoesNotKnowIsReported() {
        ServiceConfig admin = ServiceConfig.of("admin-service");

        assertThat(admin.knows("QUARKUS_OIDC_TOKEN_ISSUER")).isTrue();
        assertThat(admin.knows("QUARKUS_OIDC_TOKEN_ISSUR")).isFalse();
        assertThat(admin.knows("JHE_IDENTITY_PUBLIC_URL")).isFalse();
    }

    @Test
    void composeEnvironmentIsReadInBothOfItsForms() {
        Map<String, String> gateway = ComposeFile.environment("gateway");

        assertThat(gateway).containsEntry("JHE_GATEWAY_ADMIN_URL", "http://admin-service:8082");
    }
}
