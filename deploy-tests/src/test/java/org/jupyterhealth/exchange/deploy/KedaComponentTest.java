package org.jupyterhealth.exchange.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jupyterhealth.exchange.common.kafka.Topic;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The component keda (ingest-service scaled on its consumer lag), enabled in a copy of deploy/k8s the way the README
 * says: in the prod overlay by uncommenting its {@code components:} entry, in the local overlay listed after strimzi.
 */
class KedaComponentTest {
    private static final String PROD_COMPONENTS = "# components:\n#   - ../../components/keda\n";
    private static final String LOCAL_STRIMZI = "  - ../../components/strimzi\n";

    private final ManifestValidator validator = new ManifestValidator();

    /** A copy of deploy/k8s in {@code copy} whose overlay {@code overlay} uses the keda component; its folder. */
    static Path withKeda(Path copy, String overlay) throws IOException {
        ManifestSchemaTest.copyTree(Repository.k8s(), copy);
        Path kustomization = copy.resolve("overlays").resolve(overlay).resolve("kustomization.yaml");
        String text = Files.readString(kustomization);
        String enabled = switch (overlay) {
            case "prod" -> text.replace(PROD_COMPONENTS, "components:\n  - ../../components/keda\n");
            case "local" -> text.replace(LOCAL_STRIMZI, LOCAL_STRIMZI + "  - ../../components/keda\n");
            default -> throw new IllegalArgumentException(overlay);
        };
        assertThat(enabled).as("the overlay " + overlay + " shows where the component goes").isNotEqualTo(text);
        Files.writeString(kustomization, enabled);
        return kustomization.getParent();
    }

    private List<String> problems(List<JsonNode> resources) {
        List<String> problems = new ArrayList<>();
        resources.forEach(r -> problems.addAll(validator.validate(r)));
        problems.addAll(Autoscaling.problems(resources, Autoscaling.partitions()));
        return problems;
    }

    private static List<JsonNode> resourcesOf(String file) {
        return Manifests.parseAll(Repository.read(Repository.k8s().resolve(file)));
    }

    private static JsonNode read(String file) {
        return resourcesOf(file).get(0);
    }

    @Test
    void theComponentBuildsOntoTheProductionOverlayAndEveryResourceIsValid(@TempDir Path copy) throws IOException {
        List<JsonNode> resources = Kustomize.build(withKeda(copy, "prod"));

        assertThat(problems(resources)).isEmpty();
        JsonNode scaledObject = Manifests.get(resources, "ScaledObject", "ingest-service");
        assertThat(scaledObject.path("spec").path("minReplicaCount").asInt())
                .as("ingest-service keeps the two replicas of production")
                .isEqualTo(Manifests.get(resources, "Deployment", "ingest-service").path("spec").path("replicas")
                        .asInt())
                .isEqualTo(2);
        assertThat(Manifests.ofKind(resources, "HorizontalPodAutoscaler").stream().map(Manifests::name))
                .as("only KEDA's autoscaler sizes ingest-service; the others stay")
                .containsExactlyInAnyOrder("gateway", "fhir-service");
        assertThat(scaledObject.path("metadata").path("namespace").asText()).isEqualTo("jupyterhealth-exchange");
    }

    @Test
    void theComponentBuildsOntoTheLocalOverlayAndKedaMayReachTheBroker(@TempDir Path copy) throws IOException {
        List<JsonNode> resources = Kustomize.build(withKeda(copy, "local"));

        assertThat(problems(resources)).isEmpty();
        assertThat(Manifests.get(resources, "ScaledObject", "ingest-service").path("spec").path("minReplicaCount")
                .asInt()).isEqualTo(1);
        JsonNode peers = Manifests.ofKind(resources, "Kafka").get(0).path("spec").path("kafka").path("listeners")
                .get(0).path("networkPolicyPeers");
        assertThat(peers.findValues("kubernetes.io/metadata.name").stream().map(JsonNode::asText))
                .containsExactly("keda");
        assertThat(peers.findValues("jupyterhealth.org/kafka-client").stream().map(JsonNode::asText))
                .containsExactly("true");
    }

    @Test
    void withoutTheComponentNothingChanges() {
        for (String overlay : Repository.overlays()) {
            List<JsonNode> resources = Kustomize.overlay(overlay);

            assertThat(Manifests.ofKind(resources, "ScaledObject")).as(overlay).isEmpty();
            assertThat(Manifests.find(resources, "HorizontalPodAutoscaler", "ingest-service")).as(overlay)
                    .isPresent();
        }
    }

    @Test
    void kedaMeasuresTheGroupAndTopicIngestServiceConsumesWhereItsDeploymentReadsKafka(@TempDir Path copy)
            throws IOException {
        Properties ingest = ServiceConfig.of("ingest-service").properties;
        List<JsonNode> resources = Kustomize.build(withKeda(copy, "prod"));
        JsonNode scaledObject = Manifests.get(resources, "ScaledObject", "ingest-service");
        JsonNode trigger = scaledObject.path("spec").path("triggers").get(0);
        JsonNode deployment = Manifests.get(resources, "Deployment", "ingest-service");

        assertThat(trigger.path("type").asText()).isEqualTo("kafka");
        assertThat(trigger.path("metadata").path("consumerGroup").asText())
                .isEqualTo(ingest.getProperty("mp.messaging.incoming.observation-uploads.group.id"));
        assertThat(trigger.path("metadata").path("topic").asText())
                .isEqualTo(ingest.getProperty("mp.messaging.incoming.observation-uploads.topic"))
                .isEqualTo(Topic.OBSERVATION_UPLOADS.topicName());
        assertThat(trigger.path("metadata").path("offsetResetPolicy").asText())
                .isEqualTo(ingest.getProperty("mp.messaging.incoming.observation-uploads.auto.offset.reset"));
        assertThat(ingest.getProperty("kafka.bootstrap.servers")).startsWith("${jhe.kafka.bootstrap:");
        assertThat(trigger.path("metadata").path("bootstrapServersFromEnv").asText())
                .isEqualTo(Autoscaling.BOOTSTRAP_VARIABLE);
        assertThat(scaledObject.path("spec").path("scaleTargetRef").path("name").asText())
                .isEqualTo(Manifests.name(deployment));
        assertThat(Autoscaling.environment(deployment, "ingest-service", resources))
                .as("the address KEDA resolves from the container is the production overlay's")
                .containsEntry(Autoscaling.BOOTSTRAP_VARIABLE, Manifests.get(
                        Kustomize.overlay("prod"), "ConfigMap", "jhe-platform").path("data")
                        .path(Autoscaling.BOOTSTRAP_VARIABLE).asText());
        assertThat(Manifests.ofKind(resources, "TriggerAuthentication"))
                .as("ingest-service connects to Kafka without credentials, so KEDA needs none").isEmpty();
    }

    @Test
    void maxReplicaCountIsAtMostThePartitionsOfObservationUploads() {
        JsonNode spec = read("components/keda/scaledobject.yaml").path("spec");
        int partitions = Manifests.get(resourcesOf("components/strimzi/topics.yaml"), "KafkaTopic",
                "observation-uploads").path("spec").path("partitions").asInt();

        assertThat(partitions).isEqualTo(Topic.OBSERVATION_UPLOADS.partitions());
        assertThat(spec.path("maxReplicaCount").asInt()).isBetween(1, partitions);
        assertThat(spec.path("minReplicaCount").asInt()).isBetween(1, spec.path("maxReplicaCount").asInt());
        assertThat(spec.path("triggers").get(0).path("metadata").path("allowIdleConsumers").asText())
                .isEqualTo("false");
    }

    static Stream<Arguments> brokenComponents() {
        return Stream.of(
                Arguments.of("a misspelt ScaledObject field", "components/keda/scaledobject.yaml",
                        "  maxReplicaCount: 6", "  maxReplicasCount: 6", "maxReplicasCount"),
                Arguments.of("a misspelt Kafka trigger parameter", "components/keda/scaledobject.yaml",
                        "lagThreshold: \"50\"", "lagTreshold: \"50\"", "lagTreshold"),
                Arguments.of("a lag threshold that is not a number", "components/keda/scaledobject.yaml",
                        "lagThreshold: \"50\"", "lagThreshold: fifty", "lagThreshold"),
                Arguments.of("more replicas than partitions", "components/keda/scaledobject.yaml",
                        "  maxReplicaCount: 6", "  maxReplicaCount: 13", "partitions of observation-uploads"),
                Arguments.of("idle consumers allowed", "components/keda/scaledobject.yaml",
                        "allowIdleConsumers: \"false\"", "allowIdleConsumers: \"true\"", "allowIdleConsumers"),
                Arguments.of("bootstrap servers from a variable the Deployment lacks",
                        "components/keda/scaledobject.yaml", "bootstrapServersFromEnv: JHE_KAFKA_BOOTSTRAP",
                        "bootstrapServersFromEnv: KAFKA_BOOTSTRAP", "KAFKA_BOOTSTRAP"),
                Arguments.of("bootstrap servers other than the Deployment's", "components/keda/scaledobject.yaml",
                        "bootstrapServersFromEnv: JHE_KAFKA_BOOTSTRAP", "bootstrapServers: kafka:9092",
                        "differ from Deployment/ingest-service"),
                Arguments.of("a Deployment that does not exist", "components/keda/scaledobject.yaml",
                        "    kind: Deployment\n    name: ingest-service", "    kind: Deployment\n    name: ingest",
                        "Deployment/ingest,"),
                Arguments.of("the CPU autoscaler of ingest-service left in place", "components/keda/kustomization.yaml",
                        "  - path: delete-cpu-autoscaler.yaml\n", "",
                        "Deployment/ingest-service has 2 autoscalers"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenComponents")
    void aBrokenComponentIsRefused(String what, String file, String from, String to, String named,
            @TempDir Path copy) throws IOException {
        Path prod = withKeda(copy, "prod");
        Path broken = copy.resolve(file);
        String text = Files.readString(broken);
        assertThat(text).as("the component still has the line this case breaks").contains(from);
        Files.writeString(broken, text.replace(from, to));

        List<String> problems = problems(Kustomize.build(prod));

        assertThat(problems).as(what).isNotEmpty();
        assertThat(String.join("\n", problems)).as(what).contains(named);
    }
}
