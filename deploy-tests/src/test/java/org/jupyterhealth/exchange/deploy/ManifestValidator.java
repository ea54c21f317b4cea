package org.jupyterhealth.exchange.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * Checks one Kubernetes resource against the API it claims, the way the API server would refuse it, offline:
 * <ul>
 * <li>built-in kinds against the Kubernetes API models of {@code io.kubernetes:client-java-api}, generated from
 * the Kubernetes OpenAPI document: unknown fields, missing required fields and wrong types are refused;</li>
 * <li>Strimzi kinds by reading them with Strimzi's own API classes ({@code io.strimzi:api}), as the operator does,
 * refusing unknown fields (which the operator would only warn about), missing required fields and wrong types;</li>
 * <li>the CloudNativePG {@code Cluster} against the JSON schema in {@code schemas/cnpg-cluster-v1.json} (no package
 * registry carries CloudNativePG's CRD; the schema is ours and covers the fields these manifests use);</li>
 * <li>the KEDA {@code ScaledObject} against the JSON schema in {@code schemas/keda-scaledobject-v1alpha1.json},
 * ours too: written from the {@code openAPIV3Schema} of KEDA's ScaledObject CRD (KEDA 2.x) for the fields these
 * manifests use, every object of the spec closed (the CRD is structural: the API server would drop a misspelt field
 * without a word), and for a {@code kafka} trigger the parameters of KEDA's Kafka scaler, which ignores one it does
 * not know.</li>
 * </ul>
 * A kind that none of these covers is refused: a resource nobody checked is not "valid".
 */
final class ManifestValidator {

    /** The built-in kinds these manifests may use, by {@code apiVersion/kind}. */
    private static final Map<String, String> KUBERNETES = Map.ofEntries(
            Map.entry("v1/Namespace", "V1Namespace"),
            Map.entry("v1/ConfigMap", "V1ConfigMap"),
            Map.entry("v1/Secret", "V1Secret"),
            Map.entry("v1/Service", "V1Service"),
            Map.entry("v1/ServiceAccount", "V1ServiceAccount"),
            Map.entry("v1/PersistentVolumeClaim", "V1PersistentVolumeClaim"),
            Map.entry("apps/v1/Deployment", "V1Deployment"),
            Map.entry("apps/v1/StatefulSet", "V1StatefulSet"),
            Map.entry("batch/v1/Job", "V1Job"),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", "V2HorizontalPodAutoscaler"),
            Map.entry("policy/v1/PodDisruptionBudget", "V1PodDisruptionBudget"),
            Map.entry("networking.k8s.io/v1/Ingress", "V1Ingress"),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", "V1NetworkPolicy"));

    private static final Map<String, String> STRIMZI = Map.of(
            "Kafka", "io.strimzi.api.kafka.model.kafka.Kafka",
            "KafkaNodePool", "io.strimzi.api.kafka.model.nodepool.KafkaNodePool",
            "KafkaTopic", "io.strimzi.api.kafka.model.topic.KafkaTopic",
            "KafkaUser", "io.strimzi.api.kafka.model.user.KafkaUser");
    private static final List<String> STRIMZI_VERSIONS = List.of("kafka.strimzi.io/v1beta2", "kafka.strimzi.io/v1");

    private final ObjectMapper strimziMapper = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    private final Schema cnpgCluster = schema("/schemas/cnpg-cluster-v1.json");
    private final Schema kedaScaledObject = schema("/schemas/keda-scaledobject-v1alpha1.json");

    private Schema schema(String resource) {
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema " + resource + " is missing");
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8), InputFormat.JSON);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the schema " + resource, e);
        }
    }

    /** The problems of {@code resource}, each naming the resource; empty when the API would accept it. */
    List<String> validate(JsonNode resource) {
        String apiVersion = resource.path("apiVersion").asText();
        String kind = resource.path("kind").asText();
        String id = Manifests.id(resource);
        List<String> problems = new ArrayList<>();
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            problems.add(id + ": apiVersion and kind are required");
            return problems;
        }
        if (Manifests.name(resource).isEmpty()) {
            problems.add(id + ": metadata.name is required");
        }
        String model = KUBERNETES.get(apiVersion + "/" + kind);
        if (model != null) {
            validateKubernetes(resource, model, id, problems);
        } else if (STRIMZI_VERSIONS.contains(apiVersion) && STRIMZI.containsKey(kind)) {
            validateStrimzi(resource, STRIMZI.get(kind), id, problems);
        } else if ("postgresql.cnpg.io/v1".equals(apiVersion) && "Cluster".equals(kind)) {
            validateAgainst(cnpgCluster, resource, id, problems);
        } else if ("keda.sh/v1alpha1".equals(apiVersion) && "ScaledObject".equals(kind)) {
            validateAgainst(kedaScaledObject, resource, id, problems);
        } else {
            problems.add(id + ": no schema for " + apiVersion + " " + kind
                    + " (not a kind these manifests may use)");
        }
        return problems;
    }

    private static void validateAgainst(Schema schema, JsonNode resource, String id, List<String> problems) {
        try {
            for (Error error : schema.validate(Manifests.JSON.writeValueAsString(resource), InputFormat.JSON)) {
                problems.add(id + ": " + error.getInstanceLocation() + " " + error.getMessage());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------- Kubernetes

    private static void validateKubernetes(JsonNode resource, String model, String id, List<String> problems) {
        try {
            Class<?> type = Class.forName("io.kubernetes.client.openapi.models." + model);
            Method fromJson = type.getMethod("fromJson", String.class);
            fromJson.invoke(null, Manifests.JSON.writeValueAsString(resource));
            checkStringMaps(resource, id, problems);
        } catch (InvocationTargetException e) {
            problems.add(id + ": " + describe(e.getCause()));
        } catch (ReflectiveOperationException | IOException e) {
            throw new IllegalStateException("cannot validate " + id + " with " + model, e);
        }
    }

    /** The models coerce numbers and booleans to strings; the API server does not, for labels, annotations, data. */
    private static void checkStringMaps(JsonNode resource, String id, List<String> problems) {
        checkStrings(resource.path("metadata").path("labels"), id, "metadata.labels", problems);
        checkStrings(resource.path("metadata").path("annotations"), id, "metadata.annotations", problems);
        checkStrings(resource.path("data"), id, "data", problems);
        checkStrings(resource.path("stringData"), id, "stringData", problems);
        JsonNode template = resource.path("spec").path("template").path("metadata");
        checkStrings(template.path("labels"), id, "spec.template.metadata.labels", problems);
        checkStrings(template.path("annotations"), id, "spec.template.metadata.annotations", problems);
    }

    private static void checkStrings(JsonNode map, String id, String where, List<String> problems) {
        map.fields().forEachRemaining(entry -> {
            if (!entry.getValue().isTextual()) {
                problems.add(id + ": " + where + "." + entry.getKey() + " must be a string, not "
                        + entry.getValue().getNodeType().name().toLowerCase());
            }
        });
    }

    private static String describe(Throwable failure) {
        String message = String.valueOf(failure.getMessage());
        int json = message.indexOf(" JSON: ");
        if (json > 0) {
            message = message.substring(0, json);
        }
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }

    // ---------------------------------------------------------------------------------------------------- Strimzi

    private void validateStrimzi(JsonNode resource, String model, String id, List<String> problems) {
        Object value;
        try {
            value = strimziMapper.treeToValue(resource, Class.forName(model));
        } catch (IOException e) {
            problems.add(id + ": " + describe(e));
            return;
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Strimzi API class missing: " + model, e);
        }
        walkStrimzi(value, resource, "", id, problems, 0);
    }

    /**
     * Walks the Strimzi model next to the YAML it was read from: every object of the model keeps the fields it did
     * not know (any such field is a mistake here), and a property marked required must be present in the YAML
     * (a primitive's default would hide its absence in the model).
     */
    private void walkStrimzi(Object bean, JsonNode node, String path, String id, List<String> problems, int depth) {
        if (bean == null || depth > 40) {
            return;
        }
        if (bean instanceof List<?> items) {
            for (int i = 0; i < items.size(); i++) {
                walkStrimzi(items.get(i), node.path(i), path + "[" + i + "]", id, problems, depth + 1);
            }
            return;
        }
        if (bean instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walkStrimzi(v, node.path(String.valueOf(k)), path + "." + k, id, problems,
                    depth + 1));
            return;
        }
        String className = bean.getClass().getName();
        if (!className.startsWith("io.strimzi.api.") && !className.startsWith("io.fabric8.kubernetes.api.model.")) {
            return;
        }
        try {
            Method additional = bean.getClass().getMethod("getAdditionalProperties");
            Object unknown = additional.invoke(bean);
            if (unknown instanceof Map<?, ?> fields && !fields.isEmpty()) {
                problems.add(id + ": unknown field(s) " + fields.keySet() + " at " + (path.isEmpty() ? "." : path));
            }
        } catch (NoSuchMethodException e) {
            // a type without an overflow map: Jackson already refused unknown fields
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        JavaType type = strimziMapper.constructType(bean.getClass());
        for (BeanPropertyDefinition property : strimziMapper.getSerializationConfig().introspect(type)
                .findProperties()) {
            if (!property.hasGetter() || "additionalProperties".equals(property.getName())) {
                continue;
            }
            String childPath = path + "." + property.getName();
            if (property.isRequired() && !node.has(property.getName())) {
                problems.add(id + ": required field " + childPath + " is missing");
                continue;
            }
            walkStrimzi(property.getGetter().getValue(bean), node.path(property.getName()), childPath, id, problems,
                    depth + 1);
        }
    }
}
