package org.jupyterhealth.exchange.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import javax.tools.ToolProvider;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AotCacheTest {
    private static final Instant BUILT = Instant.parse("2026-01-01T10:00:00Z");
    private static final ServiceJava JAVA_25 = new ServiceJava(Path.of("/jdk/bin/java"), "25.0.3", 25);

    @TempDir
    Path root;
    private AotCache cache;

    @BeforeEach
    void build() throws IOException {
        write("fhir-service/target/quarkus-app/quarkus-run.jar", BUILT);
        write("fhir-service/target/quarkus-app/lib/main/a.jar", BUILT);
        cache = AotCache.of(root, Service.FHIR, JAVA_25);
    }

    private Path write(String file, Instant time) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, "x");
        Files.setLastModifiedTime(path, FileTime.from(time));
        return path;
    }

    @Test
    void theCacheOfAServiceLivesInItsTargetFolderNamedByTheJdk() {
        assertThat(cache.file()).isEqualTo(root.resolve("fhir-service/target/aot/fhir-service-jdk25.0.3.aot"));
        assertThat(cache.training("dev_2000")).isEqualTo(
                root.resolve("fhir-service/target/aot/fhir-service-jdk25.0.3.aot.dev_2000.training"));
    }

    @Test
    void withoutACacheTheFirstInstanceTrainsOneAndReplicasStartWithout() throws IOException {
        assertThat(cache.fresh()).isFalse();
        assertThat(cache.options("dev")).containsExactly("-XX:AOTCacheOutput=" + cache.training("dev"));
        assertThat(AotCache.recording(cache.options("dev"))).contains(cache.training("dev"));
        assertThat(cache.options(null)).isEmpty();
        assertThat(AotCache.recording(cache.options(null))).isEmpty();
        assertThat(Files.isDirectory(cache.file().getParent())).isTrue();
    }

    @Test
    void aCacheNewerThanTheBuildIsUsed() throws IOException {
        write("fhir-service/target/aot/fhir-service-jdk25.0.3.aot", BUILT.plusSeconds(60));

        assertThat(cache.fresh()).isTrue();
        assertThat(cache.options("dev")).containsExactly("-XX:AOTCache=" + cache.file());
        assertThat(cache.options(null)).containsExactly("-XX:AOTCache=" + cache.file());
    }

    @Test
    void aCacheOlderThanAFileOfTheBuildIsTrainedAgain() throws IOException {
        write("fhir-service/target/aot/fhir-service-jdk25.0.3.aot", BUILT.plusSeconds(60));
        write("fhir-service/target/quarkus-app/lib/main/a.jar", BUILT.plusSeconds(120));

        assertThat(cache.fresh()).isFalse();
        assertThat(cache.options("dev")).containsExactly("-XX:AOTCacheOutput=" + cache.training("dev"));
    }

    @Test
    void aCacheOfAnotherJdkIsNotThisOnes() throws IOException {
        write("fhir-service/target/aot/fhir-service-jdk25.0.3.aot", BUILT.plusSeconds(60));

        AotCache other = AotCache.of(root, Service.FHIR, new ServiceJava(Path.of("/j/bin/java"), "26.0.1", 26));

        assertThat(other.fresh()).isFalse();
    }

    @Test
    void theBrokersCacheIsOfDevstacksLibrariesAndIsUsedWhileNewerThanThemAndTheLauncher() throws IOException {
        write("devstack/target/lib/kafka_2.13.jar", BUILT);
        Path launcher = write(".jhe/launcher/devstack.jar", BUILT);
        write("devstack/target/aot/kafka-jdk25.0.3.aot", BUILT.plusSeconds(60));

        AotCache kafka = AotCache.ofKafka(root, JAVA_25, launcher);

        assertThat(kafka.file()).isEqualTo(root.resolve("devstack/target/aot/kafka-jdk25.0.3.aot"));
        assertThat(kafka.fresh()).isTrue();
        assertThat(kafka.options(null)).containsExactly("-XX:AOTCache=" + kafka.file());
        assertThat(AotCache.recording(kafka.options("dev"))).as("a fresh cache is used, not recorded").isEmpty();
    }

    @Test
    void aNewerLauncherMakesTheBrokersCacheStaleSinceItIsOnTheBrokersClassPath() throws IOException {
        write("devstack/target/lib/kafka_2.13.jar", BUILT);
        write("devstack/target/aot/kafka-jdk25.0.3.aot", BUILT.plusSeconds(60));
        // a build of devstack copies a new launcher; the libraries are the same
        Path launcher = write(".jhe/launcher/devstack.jar", BUILT.plusSeconds(120));

        AotCache kafka = AotCache.ofKafka(root, JAVA_25, launcher);

        assertThat(kafka.fresh()).isFalse();
        assertThat(kafka.options("dev")).containsExactly("-XX:AOTCacheOutput=" + kafka.training("dev"));
        assertThat(kafka.options(null)).isEmpty();

        // the training run's recording replaces the stale cache
        Files.writeString(kafka.training("dev"), "recorded");
        assertThat(kafka.keepTraining(kafka.training("dev"), true)).isTrue();
        assertThat(kafka.fresh()).isTrue();
    }

    @Test
    void theMailServersCacheIsOfGreenMailsJar() throws IOException {
        write("devstack/target/mail/greenmail-standalone.jar", BUILT);
        AotCache mail = AotCache.ofMailServer(root, JAVA_25);
        assertThat(mail.file()).isEqualTo(root.resolve("devstack/target/aot/mail-jdk25.0.3.aot"));
        assertThat(mail.fresh()).isFalse();

        write("devstack/target/aot/mail-jdk25.0.3.aot", BUILT.plusSeconds(60));
        assertThat(mail.fresh()).isTrue();

        write("devstack/target/mail/greenmail-standalone.jar", BUILT.plusSeconds(120));
        assertThat(mail.fresh()).isFalse();
    }

    @Test
    void aTrainingRunThatEndedInTimeBecomesTheCache() throws IOException {
        Path training = write("fhir-service/target/aot/fhir-service-jdk25.0.3.aot.dev.training", Instant.now());

        assertThat(cache.keepTraining(training, true)).isTrue();
        assertThat(training).doesNotExist();
        assertThat(cache.fresh()).isTrue();
    }

    @Test
    void aTrainingRunThatWasKilledLeavesNoCache() throws IOException {
        Path training = write("fhir-service/target/aot/fhir-service-jdk25.0.3.aot.dev.training", Instant.now());

        assertThat(cache.keepTraining(training, false)).isFalse();
        assertThat(training).doesNotExist();
        assertThat(cache.file()).doesNotExist();
        assertThat(cache.keepTraining(training, true)).as("nothing written").isFalse();
    }

    @Test
    void aRecordingLeftByAKilledRunIsDroppedBeforeTheNextTraining() throws IOException {
        Path left = write("fhir-service/target/aot/fhir-service-jdk25.0.3.aot.dev.training", Instant.now());

        cache.options("dev");

        assertThat(left).doesNotExist();
    }

    @Test
    void aRunningTrainingRunWritesItsCacheWhenItsRecordingIsEndedAndGoesOn() throws Exception {
        ServiceJava java = ServiceJava.find(null, Path.of("/usr/lib/jvm"));
        assumeTrue(java.hasAotCache(), "a JDK of 25 or later in /usr/lib/jvm");
        Path jar = sleeperJar(root.resolve("fhir-service/target/quarkus-app/quarkus-run.jar"));
        AotCache real = AotCache.of(root, Service.FHIR, java);
        List<String> training = real.options("dev");
        Process service = new ProcessBuilder(java.java().toString(), training.get(0), "-cp", jar.toString(), "Sleeper")
                .redirectErrorStream(true).redirectOutput(root.resolve("sleeper.log").toFile()).start();
        try {
            awaitOutput(root.resolve("sleeper.log"), "recording");

            assertThat(AotCache.endRecording(java, service.pid(), Duration.ofSeconds(120)))
                    .as(() -> "log: " + read(root.resolve("sleeper.log"))).isTrue();

            assertThat(service.isAlive()).as("the service goes on").isTrue();
            assertThat(real.keepTraining(real.training("dev"), true)).as("the recording was written").isTrue();
            assertThat(real.training("dev")).doesNotExist();
            assertThat(real.fresh()).isTrue();
            // the JVM maps the cache it wrote (AOTMode=on: it refuses to start otherwise)
            Process next = new ProcessBuilder(java.java().toString(), "-XX:AOTMode=on", "-XX:AOTCache=" + real.file(),
                    "-cp", jar.toString(), "Sleeper", "once").redirectErrorStream(true).start();
            String output = new String(next.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(next.waitFor()).as(output).isZero();
        } finally {
            service.destroyForcibly();
        }
    }

    @Test
    void aRecordingThatCannotBeEndedIsLeftToTheStop() throws Exception {
        ServiceJava java = ServiceJava.find(null, Path.of("/usr/lib/jvm"));
        assumeTrue(java.hasAotCache(), "a JDK of 25 or later in /usr/lib/jvm");
        Process notJava = new ProcessBuilder("sleep", "30").start();
        try {
            Path training = write("fhir-service/target/aot/fhir-service-jdk" + java.version() + ".aot.dev.training",
                    Instant.now());
            AotCache real = AotCache.of(root, Service.FHIR, java);

            assertThat(AotCache.endRecording(java, notJava.pid(), Duration.ofSeconds(30))).isFalse();
            assertThat(training).as("left for the stop").exists();
            assertThat(real.file()).doesNotExist();
        } finally {
            notJava.destroyForcibly();
        }
    }

    /** A jar (the JVM records only classes from jars) whose main says it runs, then sleeps unless told "once". */
    private Path sleeperJar(Path jar) throws IOException {
        Path source = root.resolve("src/Sleeper.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, """
                public class Sleeper {
                    public static void main(String[] args) throws Exception {
                        System.out.println(new java.util.TreeMap<>(java.util.Map.of("a", 1)) + " recording");
                        if (args.length == 0) {
                            Thread.sleep(120_000);
                        }
                    }
                }
                """);
        Path classes = Files.createDirectories(root.resolve("classes"));
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d",
                classes.toString(), source.toString());
        assertThat(compiled).isZero();
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("Sleeper.class"));
            out.write(Files.readAllBytes(classes.resolve("Sleeper.class")));
            out.closeEntry();
        }
        return jar;
    }

    private static void awaitOutput(Path log, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!read(log).contains(text)) {
            assertThat(System.nanoTime()).as("waiting for '" + text + "' in " + log).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
