package org.jupyterhealth.exchange.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/** What an operator of the cluster relies on, in every overlay and for every service. */
class KubernetesShapeTest {

    static Stream<Arguments> overlaysAndServices() {
        return Repository.overlays().stream()
                .flatMap(o -> Repository.SERVICES.stream().map(s -> Arguments.of(o, s)));
    }

    private static JsonNode podSpec(String overlay, String service) {
        return Manifests.get(Kustomize.overlay(overlay), "Deployment", service).path("spec").path("template")
                .path("spec");
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("overlaysAndServices")
    void everyServiceIsNamedByItsArtifactIdAndServedOnItsOwnPort(String overlay, String service) {
        List<JsonNode> resources = Kustomize.overlay(overlay);
        JsonNode deployment = Manifests.get(resources, "Deployment", service);
        JsonNode container = podSpec(overlay, service).path("containers").get(0);
        int port = ServicePorts.of(service);

        assertThat(deployment.path("metadata").path("labels").path("app.kubernetes.io/name").asText())
                .isEqualTo(service);
        assertThat(deployment.path("spec").path("template").path("metadata").path("labels")
                .path("app.kubernetes.io/part-of").asText()).isEqualTo("jupyterhealth-exchange");
        assertThat(container.path("name").asText()).isEqualTo(service);
        assertThat(container.path("image").asText()).matches("(.+/)?" + service + ":[\\w.-]+");
        assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(port);
        JsonNode svc = Manifests.get(resources, "Service", service);
        assertThat(svc.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(port);
        assertThat(svc.path("spec").path("selector").path("app.kubernetes.io/name").asText()).isEqualTo(service);
        assertThat(Manifests.find(resources, "PodDisruptionBudget", service)).isPresent();
        assertThat(Manifests.find(resources, "NetworkPolicy", service)).isPresent();
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("overlaysAndServices")
    void everyServiceIsProbedOnItsHealthEndpointsOnTheManagementPort(String overlay, String service) {
        JsonNode container = podSpec(overlay, service).path("containers").get(0);

        assertThat(container.path("startupProbe").path("httpGet").path("path").asText())
                .isEqualTo("/q/health/started");
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/q/health/live");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/q/health/ready");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(container.path(probe).path("httpGet").path("port").asText()).as(probe).isEqualTo("management");
        }
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("overlaysAndServices")
    void metricsAreScrapedFromTheManagementPortWhichOnlyTheMonitoringNamespaceReaches(String overlay,
            String service) {
        List<JsonNode> resources = Kustomize.overlay(overlay);
        JsonNode template = Manifests.get(resources, "Deployment", service).path("spec").path("template");
        JsonNode container = template.path("spec").path("containers").get(0);
        int management = ServicePorts.management(service);

        assertThat(container.path("ports").findValues("name").stream().map(JsonNode::asText))
                .containsExactly("http", "management");
        assertThat(container.path("ports").get(1).path("containerPort").asInt()).isEqualTo(management);
        assertThat(template.path("metadata").path("annotations").path("prometheus.io/port").asText())
                .isEqualTo(Integer.toString(management));
        assertThat(template.path("metadata").path("annotations").path("prometheus.io/path").asText())
                .isEqualTo("/q/metrics");
        assertThat(Manifests.get(resources, "Service", service).path("spec").path("ports").toString())
                .as("the Service does not offer the management port").doesNotContain("management")
                .doesNotContain(Integer.toString(management));
        for (JsonNode rule : Manifests.get(resources, "NetworkPolicy", service).path("spec").path("ingress")) {
            List<String> ports = rule.path("ports").findValues("port").stream().map(JsonNode::asText).toList();
            if (ports.contains("management")) {
                assertThat(ports).containsExactly("management");
                assertThat(rule.path("from").toString())
                        .isEqualTo("[{\"namespaceSelector\":{\"matchLabels\":"
                                + "{\"kubernetes.io/metadata.name\":\"monitoring\"}}}]");
            } else {
                assertThat(ports).as("a rule without ports would open every port").isNotEmpty()
                        .doesNotContain(Integer.toString(management));
            }
        }
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("overlaysAndServices")
    void podsStopAfterTheirTrafficDrainedAndGiveTheServiceTimeToFinishBeforeKill(String overlay, String service) {
        JsonNode pod = podSpec(overlay, service);
        String timeout = ServiceConfig.of(service).properties.getProperty("quarkus.shutdown.timeout");
        assertThat(timeout).as("quarkus.shutdown.timeout of " + service).matches("[0-9]+s");
        int shutdown = Integer.parseInt(timeout.replace("s", ""));
        int pause = pod.path("containers").get(0).path("lifecycle").path("preStop").path("sleep").path("seconds")
                .asInt(0);

        if (!service.equals("ingest-service")) {
            assertThat(pause).as("preStop pause of " + service + ", while the endpoints stop sending").isPositive();
        }
        // the service's graceful wait, then up to 5 s to be gone, then a margin before KILL
        assertThat(pod.path("terminationGracePeriodSeconds").asInt(30)).as(service)
                .isGreaterThanOrEqualTo(pause + 5 + 5).isGreaterThan(pause + shutdown);
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("overlaysAndServices")
    void everyServiceRunsUnprivilegedOnAReadOnlyFilesystemWithBoundedResources(String overlay, String service) {
        JsonNode pod = podSpec(overlay, service);
        JsonNode container = pod.path("containers").get(0);

        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.path("securityContext").path("allowPrivilegeEscalation").isBoolean()).isTrue();
        assertThat(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(container.path("securityContext").path("capabilities").path("drop").toString()).contains("ALL");
        assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
        assertThat(container.path("resources").path("requests").path("cpu").isMissingNode()).isFalse();
        assertThat(container.path("resources").path("requests").path("memory").isMissingNode()).isFalse();
        assertThat(container.path("resources").path("limits").path("memory").isMissingNode()).isFalse();
    }

    @Test
    void onlyTheGatewayIsExposedOutsideTheCluster() {
        for (String overlay : Repository.overlays()) {
            List<JsonNode> resources = Kustomize.overlay(overlay);

            assertThat(Manifests.ofKind(resources, "Ingress")).singleElement().satisfies(ingress -> assertThat(
                    ingress.findValues("service").stream().map(s -> s.path("name").asText()).distinct().toList())
                    .containsExactly("gateway"));
            assertThat(Manifests.ofKind(resources, "Service"))
                    .allSatisfy(s -> assertThat(s.path("spec").path("type").asText("ClusterIP"))
                            .isEqualTo("ClusterIP"));
        }
    }

    @Test
    void everyPodOfTheExchangeRefusesConnectionsThatNoPolicyAllows() {
        for (String overlay : Repository.overlays()) {
            JsonNode deny = Manifests.get(Kustomize.overlay(overlay), "NetworkPolicy", "jhe-default-deny-ingress");

            assertThat(deny.path("spec").path("podSelector").path("matchLabels")
                    .path("app.kubernetes.io/part-of").asText()).isEqualTo("jupyterhealth-exchange");
            assertThat(deny.path("spec").path("ingress").isMissingNode()).isTrue();
        }
    }

    @Test
    void internalServicesAcceptOnlyTheExchangesOwnCallers() {
        List<JsonNode> resources = Kustomize.overlay("prod");

        assertThat(callers(resources, "fhir-service")).containsExactlyInAnyOrder("gateway", "console");
        assertThat(callers(resources, "admin-service")).containsExactlyInAnyOrder("gateway", "fhir-service",
                "ingest-service", "console");
        assertThat(callers(resources, "console")).isEmpty();
        assertThat(Manifests.get(resources, "NetworkPolicy", "console").path("spec").path("ingress").get(0)
                .path("from").get(0).path("podSelector").path("matchLabels").path("app.kubernetes.io/name").asText())
                .as("only the gateway reaches the console").isEqualTo("gateway");
        assertThat(callers(resources, "ingest-service")).isEmpty();
        assertThat(Manifests.get(resources, "NetworkPolicy", "gateway").path("spec").path("ingress").get(0)
                .path("from").isMissingNode()).isTrue();
    }

    private static List<String> callers(List<JsonNode> resources, String service) {
        return Manifests.get(resources, "NetworkPolicy", service).path("spec").path("ingress").findValues("values")
                .stream().flatMap(v -> Stream.of(Manifests.JSON.convertValue(v, String[].class))).toList();
    }

    @Test
    void productionRunsAtLeastTwoOfEverythingAndScalesTheBusyServices() {
        List<JsonNode> resources = Kustomize.overlay("prod");

        assertThat(Manifests.ofKind(resources, "Deployment"))
                .allSatisfy(d -> assertThat(d.path("spec").path("replicas").asInt()).isGreaterThanOrEqualTo(2));
        assertThat(Manifests.ofKind(resources, "HorizontalPodAutoscaler").stream().map(Manifests::name))
                .containsExactlyInAnyOrder("gateway", "fhir-service", "ingest-service");
        assertThat(Manifests.ofKind(resources, "HorizontalPodAutoscaler"))
                .allSatisfy(h -> assertThat(h.path("spec").path("minReplicas").asInt()).isGreaterThanOrEqualTo(2));
        assertThat(Manifests.ofKind(resources, "Kafka")).isEmpty();
        assertThat(Manifests.ofKind(resources, "Cluster")).isEmpty();
        assertThat(Manifests.ofKind(resources, "Secret")).as("production secrets are not kept in the repository")
                .isEmpty();
    }

    @Test
    void theLocalInstallRunsOneOfEverythingWithItsOwnPostgresAndKafka() {
        List<JsonNode> resources = Kustomize.overlay("local");

        assertThat(Manifests.ofKind(resources, "Deployment"))
                .allSatisfy(d -> assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(1));
        JsonNode platform = Manifests.get(resources, "ConfigMap", "jhe-platform").path("data");
        JsonNode cluster = Manifests.ofKind(resources, "Cluster").get(0);
        JsonNode kafka = Manifests.ofKind(resources, "Kafka").get(0);
        assertThat(platform.path("JHE_DB_HOST").asText()).isEqualTo(Manifests.name(cluster) + "-rw");
        assertThat(platform.path("JHE_KAFKA_BOOTSTRAP").asText())
                .isEqualTo(Manifests.name(kafka) + "-kafka-bootstrap:9092");
        assertThat(kafka.path("metadata").path("annotations").path("strimzi.io/kraft").asText())
                .isEqualTo("enabled");
    }

    @Test
    void everyDatabaseRoleTheServicesLogInWithIsManagedWithTheirSecret() {
        List<JsonNode> resources = Kustomize.overlay("local");
        JsonNode roles = Manifests.ofKind(resources, "Cluster").get(0).path("spec").path("managed").path("roles");

        for (String service : List.of("identity-service", "admin-service", "fhir-service", "ingest-service")) {
            JsonNode secret = Manifests.get(resources, "Secret", service + "-db");
            String username = new String(Base64.getDecoder().decode(secret.path("data").path("username")
                    .asText()));
            assertThat(roles.findParents("name").stream()
                    .filter(r -> r.path("name").asText().equals(username)).findFirst())
                    .as("managed role of " + service).get()
                    .satisfies(r -> assertThat(r.path("passwordSecret").path("name").asText())
                            .isEqualTo(service + "-db"));
            assertThat(secret.path("type").asText()).isEqualTo("kubernetes.io/basic-auth");
        }
    }
}
