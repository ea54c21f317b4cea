package org.jupyterhealth.exchange.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JVM of each container is sized from the container's memory limit, not by fixed options: the image gives the
 * heap a share of the limit ({@code JAVA_MAX_MEM_RATIO}, percent) and no {@code -Xmx}; the Deployment gives direct
 * memory (Netty's buffers, the JDK's I/O buffers) a share of the same limit ({@code -XX:MaxDirectMemorySize} from
 * the limit through the downward API, in {@code JDK_JAVA_OPTIONS}); and every Deployment sets a limit that leaves
 * the rest of the JVM (classes, compiled code, threads, the collector: {@link #NATIVE_MIB}, measured per service)
 * room beside the largest heap and direct memory. The images run on JDK 25 with compact object headers,
 * and give the C library's freed memory back to the system.
 */
class ContainerMemoryTest {
    /**
     * What a service's JVM needs beside its heap and direct memory, in MiB: classes, compiled code, threads, the
     * collector and the C library's heap. Measured idle after a start without an AOT cache (as in an image), with
     * {@code ./jhe up}'s JVM options: the resident memory less the committed heap, the largest of the samples taken
     * every 5 s (docs/architecture.md#footprint).
     */
    static final Map<String, Long> NATIVE_MIB = Map.of("gateway", 98L, "identity-service", 131L,
            "admin-service", 146L, "fhir-service", 191L, "ingest-service", 180L, "console", 90L);
    private static final Pattern DIRECT = Pattern.compile("-XX:MaxDirectMemorySize=\\$\\((\\w+)\\)m");
    private static final Pattern MAX_RATIO = Pattern.compile("(?m)^ENV\\b.*\\bJAVA_MAX_MEM_RATIO=(\\d+)");
    private static final Pattern OPTS_APPEND = Pattern.compile("(?m)^ENV\\s+JAVA_OPTS_APPEND=\"([^\"]*)\"");
    private static final Pattern FROM = Pattern.compile("(?m)^FROM\\s+(\\S+)");
    private static final Pattern GC_OPTIONS = Pattern.compile("(?m)^ENV\\b.*\\bGC_CONTAINER_OPTIONS=\"([^\"]*)\"");
    private static final Pattern QUANTITY = Pattern.compile("(\\d+)(Ki|Mi|Gi|K|M|G)?");

    static Stream<Arguments> overlaysAndServices() {
        return Repository.overlays().stream()
                .flatMap(o -> Repository.SERVICES.stream().map(s -> Arguments.of(o, s)));
    }

    static List<String> services() {
        return Repository.SERVICES;
    }

    private static String dockerfile(String service) {
        return Repository.read(Repository.root().resolve(service).resolve("src/main/docker/Dockerfile.jvm"));
    }

    /** A container's environment variable: its literal value, or the node it is read from ({@code valueFrom}). */
    private static JsonNode env(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (name.equals(e.path("name").asText())) {
                return e.has("valueFrom") ? e.path("valueFrom") : e.path("value");
            }
        }
        return null;
    }

    /**
     * Everything wrong with one container's memory: its resources against its image's heap share and the direct
     * memory its environment gives the JVM.
     */
    static List<String> problems(String dockerfile, JsonNode container, long nativeMib) {
        List<String> problems = new ArrayList<>();
        JsonNode resources = container.path("resources");
        Matcher ratio = MAX_RATIO.matcher(dockerfile);
        Matcher append = OPTS_APPEND.matcher(dockerfile);
        String options = append.find() ? append.group(1) : "";
        if (options.matches(".*-Xm[xsn]\\S*.*") || options.contains("MaxRAMPercentage")) {
            problems.add("JAVA_OPTS_APPEND fixes the heap (" + options + "): it must follow the limit");
        }
        if (!ratio.find()) {
            problems.add("the image sets no JAVA_MAX_MEM_RATIO");
            return problems;
        }
        long request = mebibytes(resources.path("requests").path("memory").asText(""));
        long limit = mebibytes(resources.path("limits").path("memory").asText(""));
        if (request <= 0 || limit <= 0) {
            problems.add("a memory request and limit are needed (" + resources + ")");
            return problems;
        }
        if (request > limit) {
            problems.add("the memory request " + request + " MiB is above the limit " + limit + " MiB");
        }
        long direct = directMemoryMib(container, limit, problems);
        long outside = limit * (100 - Integer.parseInt(ratio.group(1))) / 100 - direct;
        if (outside < nativeMib) {
            problems.add("a heap of " + ratio.group(1) + "% of " + limit + " MiB and " + direct
                    + " MiB of direct memory leave " + outside + " MiB for the rest of the JVM, less than "
                    + nativeMib);
        }
        return problems;
    }

    /**
     * The direct memory the container's JVM may use, in MiB: {@code JDK_JAVA_OPTIONS} sets
     * {@code -XX:MaxDirectMemorySize} from a variable that reads this container's memory limit (a share of it, by
     * the divisor); without it the JVM would allow as much direct memory as heap, beyond the limit.
     */
    private static long directMemoryMib(JsonNode container, long limit, List<String> problems) {
        JsonNode options = env(container, "JDK_JAVA_OPTIONS");
        Matcher direct = DIRECT.matcher(options == null ? "" : options.asText());
        if (!direct.find()) {
            problems.add("JDK_JAVA_OPTIONS sets no -XX:MaxDirectMemorySize=$(VAR)m from the memory limit");
            return 0;
        }
        JsonNode field = env(container, direct.group(1));
        JsonNode ref = field == null ? null : field.path("resourceFieldRef");
        // a container's own limit needs no containerName; one that names a container must name this one
        String named = ref == null ? null : ref.path("containerName").asText(container.path("name").asText());
        if (ref == null || !"limits.memory".equals(ref.path("resource").asText())
                || !named.equals(container.path("name").asText())) {
            problems.add(direct.group(1) + " is not this container's memory limit (resourceFieldRef limits.memory)");
            return 0;
        }
        long divisor = mebibytes(ref.path("divisor").asText("1"));
        if (divisor <= 0) {
            problems.add(direct.group(1) + "'s divisor must be a whole number of MiB");
            return 0;
        }
        // the downward API rounds up
        return (limit + divisor - 1) / divisor;
    }

    /** A Kubernetes memory quantity in MiB; -1 if it is not one this check knows. */
    static long mebibytes(String quantity) {
        Matcher m = QUANTITY.matcher(quantity);
        if (!m.matches()) {
            return -1;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        return switch (unit) {
            case "Ki" -> n / 1024;
            case "Mi" -> n;
            case "Gi" -> n * 1024;
            case "K" -> n * 1000 / (1024 * 1024);
            case "M" -> n * 1000 * 1000 / (1024 * 1024);
            case "G" -> n * 1000 * 1000 * 1000 / (1024 * 1024);
            default -> n / (1024 * 1024);
        };
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("overlaysAndServices")
    void theHeapIsAShareOfTheMemoryLimitThatLeavesTheRestOfTheJvmRoom(String overlay, String service) {
        JsonNode container = Manifests.get(Kustomize.overlay(overlay), "Deployment", service).path("spec")
                .path("template").path("spec").path("containers").get(0);

        assertThat(problems(dockerfile(service), container, NATIVE_MIB.get(service))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("services")
    void everyImageRunsOnJdk25WithCompactObjectHeaders(String service) {
        String dockerfile = dockerfile(service);
        Matcher from = FROM.matcher(dockerfile);
        Matcher append = OPTS_APPEND.matcher(dockerfile);

        assertThat(from.find()).isTrue();
        assertThat(from.group(1)).contains("openjdk-25");
        assertThat(append.find()).isTrue();
        assertThat(append.group(1)).contains("-XX:+UseCompactObjectHeaders");
        // the C library's freed memory goes back to the system: an idle service's resident memory falls after load
        assertThat(append.group(1)).containsPattern("-XX:TrimNativeHeapInterval=[1-9][0-9]*");
    }

    /**
     * The image's start script (run-java.sh) adds the parallel collector unless {@code GC_CONTAINER_OPTIONS} names
     * one: every image names the serial collector, the one the JVM picks itself in containers of these limits and
     * the one the services are measured with, but identity-service's, which names G1 with a collection while idle
     * (the heap its password hashes grew goes back); and each keeps 10 to 20% of the heap free after a full
     * collection.
     */
    @ParameterizedTest
    @MethodSource("services")
    void everyImageNamesItsCollectorAndATightHeap(String service) {
        String dockerfile = dockerfile(service);
        Matcher collector = GC_OPTIONS.matcher(dockerfile);

        assertThat(collector.find()).as("GC_CONTAINER_OPTIONS in %s's image", service).isTrue();
        assertThat(collector.group(1).trim()).isEqualTo("identity-service".equals(service)
                ? "-XX:+UseG1GC -XX:G1PeriodicGCInterval=5000" : "-XX:+UseSerialGC");
        assertThat(dockerfile).containsPattern("(?m)^ENV\\b.*\\bGC_MIN_HEAP_FREE_RATIO=10\\b")
                .containsPattern("(?m)^ENV\\b.*\\bGC_MAX_HEAP_FREE_RATIO=20\\b");
    }

    /** A container named app with these memory request and limit, and direct memory an eighth of the limit. */
    private static JsonNode container(String request, String limit) throws Exception {
        String resources = "{" + (request == null ? "" : "\"requests\":{\"memory\":\"" + request + "\"}")
                + (request != null && limit != null ? "," : "")
                + (limit == null ? "" : "\"limits\":{\"memory\":\"" + limit + "\"}") + "}";
        return new ObjectMapper().readTree("{\"name\":\"app\",\"resources\":" + resources + ",\"env\":["
                + "{\"name\":\"DIRECT\",\"valueFrom\":{\"resourceFieldRef\":{\"resource\":\"limits.memory\","
                + "\"divisor\":\"8Mi\"}}},"
                + "{\"name\":\"JDK_JAVA_OPTIONS\",\"value\":\"-XX:MaxDirectMemorySize=$(DIRECT)m\"}]}");
    }

    @Test
    void aFixedHeapATightLimitOrAMissingOneIsRefused() throws Exception {
        JsonNode fits = container("256Mi", "512Mi");
        String image = "FROM x/openjdk-25-runtime:1\nENV JAVA_OPTS_APPEND=\"-Dx=y\"\nENV JAVA_MAX_MEM_RATIO=60\n";

        assertThat(problems(image, fits, 120)).isEmpty();
        assertThat(problems(image.replace("-Dx=y", "-Dx=y -Xmx512m"), fits, 120)).singleElement().asString()
                .contains("fixes the heap");
        assertThat(problems(image.replace("ENV JAVA_MAX_MEM_RATIO=60\n", ""), fits, 120)).singleElement().asString()
                .contains("no JAVA_MAX_MEM_RATIO");
        // 512 MiB: 20% outside the heap (102) less 64 MiB of direct memory leaves 38 MiB
        assertThat(problems(image.replace("=60", "=80"), fits, 120)).singleElement().asString()
                .contains("leave 38 MiB for the rest of the JVM, less than 120");
        assertThat(problems(image, container("1Gi", "512Mi"), 120)).singleElement().asString()
                .contains("above the limit");
        assertThat(problems(image, container("256Mi", null), 120)).singleElement().asString()
                .contains("request and limit are needed");
    }

    @Test
    void directMemoryMustFollowTheContainersOwnLimit() throws Exception {
        String image = "FROM x/openjdk-25-runtime:1\nENV JAVA_OPTS_APPEND=\"-Dx=y\"\nENV JAVA_MAX_MEM_RATIO=60\n";
        ObjectNode fixed = (ObjectNode) container("256Mi", "512Mi");
        ((ObjectNode) fixed.path("env").get(1)).put("value", "-XX:MaxDirectMemorySize=64m");
        ObjectNode request = (ObjectNode) container("256Mi", "512Mi");
        ((ObjectNode) request.path("env").get(0).path("valueFrom").path("resourceFieldRef")).put("resource",
                "requests.memory");
        ObjectNode other = (ObjectNode) container("256Mi", "512Mi");
        ((ObjectNode) other.path("env").get(0).path("valueFrom").path("resourceFieldRef")).put("containerName",
                "sidecar");

        assertThat(problems(image, fixed, 120)).singleElement().asString()
                .contains("no -XX:MaxDirectMemorySize=$(VAR)m");
        assertThat(problems(image, request, 120)).singleElement().asString()
                .contains("not this container's memory limit");
        assertThat(problems(image, other, 120)).singleElement().asString()
                .contains("not this container's memory limit");
    }

    @Test
    void memoryQuantitiesInEveryUnit() {
        assertThat(mebibytes("512Mi")).isEqualTo(512);
        assertThat(mebibytes("1Gi")).isEqualTo(1024);
        assertThat(mebibytes("1048576Ki")).isEqualTo(1024);
        assertThat(mebibytes("1G")).isEqualTo(953);
        assertThat(mebibytes("536870912")).isEqualTo(512);
        assertThat(mebibytes("lots")).isEqualTo(-1);
    }
}
