package org.jupyterhealth.exchange.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JVM of each container is sized from the container's memory limit, not by fixed options: the image gives the
 * heap a share of the limit ({@code JAVA_MAX_MEM_RATIO}, percent) and no {@code -Xmx}, and every Deployment sets a
 * limit that leaves the rest of the JVM (classes, compiled code, threads, Netty's direct buffers: about 150 MiB for
 * a service, measured) room beside the largest heap. The images run on JDK 25 with compact object headers, and give
 * the C library's freed memory back to the system.
 */
class ContainerMemoryTest {
    /** What a service's JVM needs beside its heap, in MiB. */
    static final long OUTSIDE_HEAP_MIB = 150;
    private static final Pattern MAX_RATIO = Pattern.compile("(?m)^ENV\\b.*\\bJAVA_MAX_MEM_RATIO=(\\d+)");
    private static final Pattern OPTS_APPEND = Pattern.compile("(?m)^ENV\\s+JAVA_OPTS_APPEND=\"([^\"]*)\"");
    private static final Pattern FROM = Pattern.compile("(?m)^FROM\\s+(\\S+)");
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

    /** Everything wrong with one container's memory: its resources against its image's heap share. */
    static List<String> problems(String dockerfile, JsonNode resources) {
        List<String> problems = new ArrayList<>();
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
        long outside = limit * (100 - Integer.parseInt(ratio.group(1))) / 100;
        if (outside < OUTSIDE_HEAP_MIB) {
            problems.add("a heap of " + ratio.group(1) + "% of " + limit + " MiB leaves " + outside
                    + " MiB for the rest of the JVM, less than " + OUTSIDE_HEAP_MIB);
        }
        return problems;
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

        assertThat(problems(dockerfile(service), container.path("resources"))).isEmpty();
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

    @Test
    void aFixedHeapATightLimitOrAMissingOneIsRefused() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode fits = json.readTree("{\"requests\":{\"memory\":\"256Mi\"},\"limits\":{\"memory\":\"512Mi\"}}");
        String image = "FROM x/openjdk-25-runtime:1\nENV JAVA_OPTS_APPEND=\"-Dx=y\"\nENV JAVA_MAX_MEM_RATIO=60\n";

        assertThat(problems(image, fits)).isEmpty();
        assertThat(problems(image.replace("-Dx=y", "-Dx=y -Xmx512m"), fits)).singleElement().asString()
                .contains("fixes the heap");
        assertThat(problems(image.replace("ENV JAVA_MAX_MEM_RATIO=60\n", ""), fits)).singleElement().asString()
                .contains("no JAVA_MAX_MEM_RATIO");
        assertThat(problems(image.replace("=60", "=80"), json.readTree(
                "{\"requests\":{\"memory\":\"256Mi\"},\"limits\":{\"memory\":\"512Mi\"}}"))).singleElement()
                .asString().contains("less than 150");
        assertThat(problems(image, json.readTree("{\"requests\":{\"memory\":\"1Gi\"},\"limits\":{\"memory\":"
                + "\"512Mi\"}}"))).singleElement().asString().contains("above the limit");
        assertThat(problems(image, json.readTree("{\"requests\":{\"memory\":\"256Mi\"}}"))).singleElement()
                .asString().contains("request and limit are needed");
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
