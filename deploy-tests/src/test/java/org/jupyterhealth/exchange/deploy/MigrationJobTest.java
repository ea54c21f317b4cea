package org.jupyterhealth.exchange.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A service with a schema migrates it once per release, in a Job, not in each replica at start (two replicas would
 * race, and every start would pay for Flyway): in every overlay, the Job runs the service's own image in Quarkus'
 * initialization mode with migration at start on, reaching the database as the service does; the service's pods
 * start without migrating, after an init container has checked that no migration is left to apply. Only the Job
 * holds the owner credentials of the schema; a replica and its init container reach the database as the service's
 * own role.
 */
class MigrationJobTest {
    /** The services that own a schema (a Flyway configuration). */
    static final List<String> MIGRATING = Repository.SERVICES.stream()
            .filter(s -> ServiceConfig.of(s).properties.getProperty("quarkus.flyway.locations") != null).toList();

    static Stream<Arguments> overlaysAndMigratingServices() {
        return Repository.overlays().stream().flatMap(o -> MIGRATING.stream().map(s -> Arguments.of(o, s)));
    }

    /** A container's literal environment values; a variable read from a Secret or ConfigMap has {@code <from>}. */
    private static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(),
                e.has("value") ? e.path("value").asText() : "<from>"));
        return env;
    }

    private static List<String> envFrom(JsonNode container) {
        return container.path("envFrom").findValues("name").stream().map(JsonNode::asText).toList();
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("overlaysAndMigratingServices")
    void aJobMigratesTheSchemaOnceWithTheServicesOwnImageAndSettings(String overlay, String service) {
        List<JsonNode> resources = Kustomize.overlay(overlay);
        JsonNode pod = Manifests.get(resources, "Job", service + "-migrations").path("spec").path("template");
        JsonNode job = pod.path("spec").path("containers").get(0);
        JsonNode app = Manifests.get(resources, "Deployment", service).path("spec").path("template").path("spec")
                .path("containers").get(0);

        assertThat(job.path("image").asText()).isEqualTo(app.path("image").asText());
        assertThat(env(job)).containsEntry("QUARKUS_INIT_AND_EXIT", "true")
                .containsEntry("QUARKUS_FLYWAY_MIGRATE_AT_START", "true")
                .containsKeys("QUARKUS_FLYWAY_USERNAME", "QUARKUS_FLYWAY_PASSWORD", "QUARKUS_DATASOURCE_USERNAME");
        assertThat(envFrom(job)).containsExactlyElementsOf(envFrom(app));
        assertThat(pod.path("spec").path("restartPolicy").asText()).isIn("OnFailure", "Never");
        // the database admits it, and the service's Service and disruption budget do not take it for a replica
        assertThat(pod.path("metadata").path("labels").path("jupyterhealth.org/database-client").asText())
                .isEqualTo("true");
        assertThat(pod.path("metadata").path("labels").path("app.kubernetes.io/name").asText())
                .isNotEqualTo(service);
        assertThat(job.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(job.path("resources").path("limits").path("memory").asText()).isNotEmpty();
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("overlaysAndMigratingServices")
    void theServiceStartsWithoutMigratingOnceNoMigrationIsLeft(String overlay, String service) {
        JsonNode pod = Manifests.get(Kustomize.overlay(overlay), "Deployment", service).path("spec")
                .path("template").path("spec");
        JsonNode app = pod.path("containers").get(0);
        JsonNode wait = pod.path("initContainers").get(0);

        assertThat(env(app)).containsEntry("QUARKUS_FLYWAY_MIGRATE_AT_START", "false")
                .doesNotContainKey("QUARKUS_INIT_AND_EXIT");
        assertThat(wait).as("an init container waits for the migrations").isNotNull();
        assertThat(wait.path("image").asText()).isEqualTo(app.path("image").asText());
        assertThat(env(wait)).containsEntry("QUARKUS_INIT_AND_EXIT", "true")
                .containsEntry("QUARKUS_FLYWAY_MIGRATE_AT_START", "false")
                .containsEntry("QUARKUS_FLYWAY_VALIDATE_AT_START", "true");
        assertThat(envFrom(wait)).containsExactlyElementsOf(envFrom(app));
    }

    /** The Secrets a container's environment reads, by variable name. */
    private static Map<String, String> secrets(JsonNode container) {
        Map<String, String> secrets = new LinkedHashMap<>();
        container.path("env").forEach(e -> {
            JsonNode ref = e.path("valueFrom").path("secretKeyRef");
            if (!ref.isMissingNode()) {
                secrets.put(e.path("name").asText(), ref.path("name").asText());
            }
        });
        container.path("envFrom").forEach(e -> {
            if (e.has("secretRef")) {
                secrets.put("<envFrom>", e.path("secretRef").path("name").asText());
            }
        });
        return secrets;
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("overlaysAndMigratingServices")
    void onlyTheJobHoldsTheOwnerCredentialsOfTheSchema(String overlay, String service) {
        List<JsonNode> resources = Kustomize.overlay(overlay);
        JsonNode job = Manifests.get(resources, "Job", service + "-migrations").path("spec").path("template")
                .path("spec").path("containers").get(0);
        JsonNode pod = Manifests.get(resources, "Deployment", service).path("spec").path("template").path("spec");

        assertThat(secrets(job)).containsEntry("QUARKUS_FLYWAY_USERNAME", "jhe-db-migrations")
                .containsEntry("QUARKUS_FLYWAY_PASSWORD", "jhe-db-migrations");
        for (String part : List.of("initContainers", "containers")) {
            pod.path(part).forEach(container -> {
                assertThat(secrets(container)).as("%s %s", part, container.path("name").asText())
                        .doesNotContainValue("jhe-db-migrations")
                        // Flyway (the init container's validate) reads the history as the service's own role
                        .containsEntry("QUARKUS_FLYWAY_USERNAME", service + "-db")
                        .containsEntry("QUARKUS_FLYWAY_PASSWORD", service + "-db")
                        .containsEntry("QUARKUS_DATASOURCE_USERNAME", service + "-db");
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("migratingServices")
    void theServiceMigratesAtStartOnlyInDevModeAndTests(String service) {
        ServiceConfig config = ServiceConfig.of(service);

        assertThat(config.properties.getProperty("quarkus.flyway.migrate-at-start")).isEqualTo("false");
        assertThat(config.properties.getProperty("%dev.quarkus.flyway.migrate-at-start")).isEqualTo("true");
        assertThat(config.properties.getProperty("%test.quarkus.flyway.migrate-at-start")).isEqualTo("true");
        // docker compose runs one replica of each, which migrates at its start
        assertThat(ComposeFile.environment(service)).containsEntry("QUARKUS_FLYWAY_MIGRATE_AT_START", "true");
    }

    static List<String> migratingServices() {
        return MIGRATING;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void everyServiceWithASchemaAndOnlyThoseHasAJob(String overlay) {
        List<JsonNode> resources = Kustomize.overlay(overlay);

        assertThat(MIGRATING).containsExactlyInAnyOrder("identity-service", "admin-service", "fhir-service",
                "ingest-service");
        assertThat(Manifests.ofKind(resources, "Job").stream().map(Manifests::name))
                .containsExactlyInAnyOrderElementsOf(MIGRATING.stream().map(s -> s + "-migrations").toList());
    }

    static List<String> overlays() {
        return Repository.overlays();
    }
}
