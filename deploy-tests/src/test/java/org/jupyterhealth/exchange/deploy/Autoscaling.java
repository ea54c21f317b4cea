package org.jupyterhealth.exchange.deploy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.jupyterhealth.exchange.common.kafka.Topic;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How the Deployments of a built overlay are autoscaled, checked across resources, which no schema can do:
 * <ul>
 * <li>a Deployment has at most one autoscaler: its own HorizontalPodAutoscaler, or a KEDA ScaledObject (for which
 * KEDA makes and owns one); two would undo each other's decisions;</li>
 * <li>a ScaledObject scales a Deployment of the same manifests, with {@code minReplicaCount ≤ maxReplicaCount};</li>
 * <li>its {@code kafka} triggers name a topic of the exchange, never ask for more replicas than the topic has
 * partitions (a consumer beyond them holds no partition and idles), keep {@code allowIdleConsumers} off, and read
 * Kafka at the bootstrap address the Deployment's container is given.</li>
 * </ul>
 */
final class Autoscaling {
    /** KEDA's defaults when a ScaledObject leaves the bounds out. */
    private static final int KEDA_MIN_REPLICAS = 0;
    private static final int KEDA_MAX_REPLICAS = 100;

    /** The environment variable that holds the bootstrap servers of every service (key jhe.kafka.bootstrap). */
    static final String BOOTSTRAP_VARIABLE = ServiceConfig.envName("jhe.kafka.bootstrap");

    private Autoscaling() {
    }

    /** The partitions of each topic of the exchange, by name (common {@link Topic}). */
    static Map<String, Integer> partitions() {
        return Arrays.stream(Topic.values()).collect(Collectors.toMap(Topic::topicName, Topic::partitions));
    }

    /** Every problem of the autoscaling of {@code resources}, in words; empty when there is none. */
    static List<String> problems(List<JsonNode> resources, Map<String, Integer> partitions) {
        List<String> problems = new ArrayList<>();
        Map<String, List<String>> autoscalers = new LinkedHashMap<>();
        for (JsonNode hpa : Manifests.ofKind(resources, "HorizontalPodAutoscaler")) {
            JsonNode target = hpa.path("spec").path("scaleTargetRef");
            autoscalers.computeIfAbsent(target.path("kind").asText() + "/" + target.path("name").asText(),
                    t -> new ArrayList<>()).add(Manifests.id(hpa));
        }
        for (JsonNode scaledObject : Manifests.ofKind(resources, "ScaledObject")) {
            JsonNode target = scaledObject.path("spec").path("scaleTargetRef");
            autoscalers.computeIfAbsent(target.path("kind").asText("Deployment") + "/" + target.path("name").asText(),
                    t -> new ArrayList<>()).add(Manifests.id(scaledObject));
            checkScaledObject(scaledObject, resources, partitions, problems);
        }
        autoscalers.forEach((target, scalers) -> {
            if (scalers.size() > 1) {
                problems.add(target + " has " + scalers.size() + " autoscalers, " + String.join(" and ", scalers)
                        + ": keep one (a ScaledObject's component must delete the HorizontalPodAutoscaler)");
            }
        });
        return problems;
    }

    private static void checkScaledObject(JsonNode scaledObject, List<JsonNode> resources,
            Map<String, Integer> partitions, List<String> problems) {
        String id = Manifests.id(scaledObject);
        JsonNode spec = scaledObject.path("spec");
        int min = spec.path("minReplicaCount").asInt(KEDA_MIN_REPLICAS);
        int max = spec.path("maxReplicaCount").asInt(KEDA_MAX_REPLICAS);
        if (min > max) {
            problems.add(id + ": minReplicaCount " + min + " is above maxReplicaCount " + max);
        }
        JsonNode target = spec.path("scaleTargetRef");
        String kind = target.path("kind").asText("Deployment");
        Optional<JsonNode> deployment = Manifests.find(resources, kind, target.path("name").asText());
        if (deployment.isEmpty()) {
            problems.add(id + ": scales " + kind + "/" + target.path("name").asText()
                    + ", which the manifests do not define");
        }
        for (JsonNode trigger : spec.path("triggers")) {
            if (!"kafka".equals(trigger.path("type").asText())) {
                continue;
            }
            JsonNode metadata = trigger.path("metadata");
            String topic = metadata.path("topic").asText();
            Integer topicPartitions = partitions.get(topic);
            if (topicPartitions == null) {
                problems.add(id + ": kafka trigger on topic '" + topic + "', which is not a topic of the exchange"
                        + " (name the topic: without it the lag of every topic of the group is summed)");
            } else if (max > topicPartitions) {
                problems.add(id + ": maxReplicaCount " + max + " is above the " + topicPartitions
                        + " partitions of " + topic + " (a consumer beyond them holds no partition and idles)");
            }
            if (!"false".equals(metadata.path("allowIdleConsumers").asText())) {
                problems.add(id + ": kafka trigger must set allowIdleConsumers \"false\" (never more replicas than"
                        + " partitions), not '" + metadata.path("allowIdleConsumers").asText() + "'");
            }
            deployment.ifPresent(d -> checkBootstrap(id, metadata, d, target, resources, problems));
        }
    }

    /** The trigger reads Kafka where the Deployment's container does: the same variable, or its very value. */
    private static void checkBootstrap(String id, JsonNode metadata, JsonNode deployment, JsonNode target,
            List<JsonNode> resources, List<String> problems) {
        Map<String, String> environment = environment(deployment, target.path("envSourceContainerName").asText(),
                resources);
        String fromEnv = metadata.path("bootstrapServersFromEnv").asText();
        if (!fromEnv.isEmpty()) {
            if (!environment.containsKey(fromEnv)) {
                problems.add(id + ": bootstrapServersFromEnv names " + fromEnv + ", which "
                        + Manifests.id(deployment) + "'s container does not have");
            } else if (!BOOTSTRAP_VARIABLE.equals(fromEnv)) {
                problems.add(id + ": bootstrapServersFromEnv names " + fromEnv + ", not " + BOOTSTRAP_VARIABLE
                        + ", where the services read the bootstrap servers");
            }
            return;
        }
        String servers = metadata.path("bootstrapServers").asText();
        if (!servers.equals(environment.get(BOOTSTRAP_VARIABLE))) {
            problems.add(id + ": bootstrapServers '" + servers + "' differ from " + Manifests.id(deployment)
                    + "'s " + BOOTSTRAP_VARIABLE + " '" + environment.get(BOOTSTRAP_VARIABLE) + "'");
        }
    }

    /**
     * The environment of a Deployment's container (the named one, else the first), as KEDA resolves it: {@code env}
     * values and {@code envFrom} ConfigMaps; a value taken from a Secret is known by name only (an empty text).
     */
    static Map<String, String> environment(JsonNode deployment, String containerName, List<JsonNode> resources) {
        JsonNode containers = deployment.path("spec").path("template").path("spec").path("containers");
        JsonNode container = containers.get(0);
        for (JsonNode candidate : containers) {
            if (candidate.path("name").asText().equals(containerName)) {
                container = candidate;
            }
        }
        Map<String, String> environment = new LinkedHashMap<>();
        if (container == null) {
            return environment;
        }
        for (JsonNode source : container.path("envFrom")) {
            String map = source.path("configMapRef").path("name").asText();
            Manifests.find(resources, "ConfigMap", map).ifPresent(m -> m.path("data").fields()
                    .forEachRemaining(e -> environment.put(e.getKey(), e.getValue().asText())));
        }
        for (JsonNode variable : container.path("env")) {
            JsonNode ref = variable.path("valueFrom").path("configMapKeyRef");
            String value = variable.has("value") ? variable.path("value").asText()
                    : Manifests.find(resources, "ConfigMap", ref.path("name").asText())
                            .map(m -> m.path("data").path(ref.path("key").asText()).asText())
                            .orElse("");
            environment.put(variable.path("name").asText(), value);
        }
        return environment;
    }
}
