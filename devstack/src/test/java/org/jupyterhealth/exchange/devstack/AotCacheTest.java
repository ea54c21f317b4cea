package org.jupyterhealth.exchange.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

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
        assertThat(cache.options(null)).isEmpty();
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
}
