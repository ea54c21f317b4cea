package org.jupyterhealth.exchange.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildTest {
    private static final Instant SOURCES = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant BUILT = Instant.parse("2026-01-01T11:00:00Z");

    @TempDir
    Path root;

    @BeforeEach
    void project() throws IOException {
        write("pom.xml", "<project><parent><version>9</version></parent><artifactId>x</artifactId>"
                + "<version>2.3.4</version></project>", SOURCES);
        for (String module : Build.runtimeModules()) {
            write(module + "/pom.xml", "<project/>", SOURCES);
            write(module + "/src/main/java/A.java", "class A {}", SOURCES);
        }
        write("common/target/common-2.3.4.jar", "", BUILT);
        write("devstack/target/devstack-2.3.4.jar", "", BUILT);
        Files.createDirectories(root.resolve("devstack/target/lib"));
        for (Service service : Service.values()) {
            write(service.id() + "/target/quarkus-app/quarkus-run.jar", "", BUILT);
        }
        // a folder counts as a source too (a file deleted from it changes it): all as old as the sources
        try (Stream<Path> files = Files.walk(root)) {
            for (Path folder : files.filter(Files::isDirectory).toList()) {
                Files.setLastModifiedTime(folder, FileTime.from(SOURCES));
            }
        }
    }

    @Test
    void versionComesFromTheProjectsPomNotItsParents() {
        assertThat(new Build(root).version()).isEqualTo("2.3.4");
        assertThat(new Build(root).artifact("devstack")).isEqualTo(root.resolve("devstack/target/devstack-2.3.4.jar"));
        assertThat(new Build(root).artifact("gateway")).isEqualTo(root.resolve("gateway/target/quarkus-app/"
                + "quarkus-run.jar"));
    }

    @Test
    void theRepositorysOwnVersionIsRead() {
        assertThat(Build.projectVersion(Path.of("../pom.xml"))).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void nothingIsStaleAfterABuild() {
        assertThat(new Build(root).staleOf(Build.runtimeModules())).isEmpty();
    }

    @Test
    void aSourceChangedSinceMakesItsModuleStale() throws IOException {
        Files.setLastModifiedTime(root.resolve("fhir-service/src/main/java/A.java"),
                FileTime.from(BUILT.plusSeconds(5)));

        assertThat(new Build(root).staleOf(Build.runtimeModules())).containsExactly("fhir-service");
    }

    @Test
    void aTestChangesNoArtifact() throws IOException {
        write("admin-service/src/test/java/ATest.java", "class ATest {}", BUILT.plusSeconds(5));

        assertThat(new Build(root).staleOf(Build.runtimeModules())).isEmpty();
    }

    @Test
    void aBuildThatLeftAnUnchangedArtifactAsItWasMarksItUpToDate() throws IOException {
        Files.setLastModifiedTime(root.resolve("devstack/pom.xml"), FileTime.from(BUILT.plusSeconds(5)));
        Build build = new Build(root);
        assertThat(build.staleOf(Build.runtimeModules())).containsExactly("devstack");

        build.built(List.of("devstack"));

        assertThat(build.staleOf(Build.runtimeModules())).isEmpty();
    }

    @Test
    void aFileDeletedFromTheSourcesMakesItsModuleStale() throws IOException {
        Files.delete(root.resolve("admin-service/src/main/java/A.java"));

        assertThat(new Build(root).staleOf(Build.runtimeModules())).containsExactly("admin-service");
    }

    @Test
    void aMissingArtifactOrRuntimeClasspathMakesItsModuleStale() throws IOException {
        Files.delete(root.resolve("gateway/target/quarkus-app/quarkus-run.jar"));
        Files.delete(root.resolve("devstack/target/lib"));

        assertThat(new Build(root).staleOf(Build.runtimeModules())).containsExactly("devstack", "gateway");
    }

    @Test
    void aNewerCommonJarMakesEveryServiceStaleAndAStaleCommonRebuildsAll() throws IOException {
        Files.setLastModifiedTime(root.resolve("common/target/common-2.3.4.jar"), FileTime.from(BUILT.plusSeconds(5)));
        assertThat(new Build(root).staleOf(Build.runtimeModules())).doesNotContain("common").contains("devstack",
                "gateway", "identity-service", "admin-service", "fhir-service", "ingest-service", "console");

        Files.setLastModifiedTime(root.resolve("common/pom.xml"), FileTime.from(BUILT.plusSeconds(10)));
        assertThat(new Build(root).staleOf(Build.runtimeModules())).containsExactlyElementsOf(
                Build.runtimeModules());
    }

    @Test
    void aChangedParentPomMakesEverythingStale() throws IOException {
        Files.setLastModifiedTime(root.resolve("pom.xml"), FileTime.from(BUILT.plusSeconds(5)));

        assertThat(new Build(root).staleOf(Build.runtimeModules())).containsExactlyElementsOf(
                Build.runtimeModules());
    }

    @Test
    void packagingBuildsWhatTheModulesNeedWithoutTests() {
        assertThat(new Build(root).packageCommand("mvn", List.of("common", "gateway")))
                .containsExactly("mvn", "-B", "-ntp", "-q", "-DskipTests", "package", "-pl", "common,gateway", "-am");
    }

    @Test
    void aPomWithoutVersionIsTold() throws IOException {
        write("pom.xml", "<project><artifactId>x</artifactId></project>", SOURCES);

        assertThatThrownBy(() -> new Build(root)).isInstanceOf(LauncherException.class)
                .hasMessageContaining("has no project version");
    }

    private void write(String file, String content, Instant modified) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
        Files.setLastModifiedTime(path, FileTime.from(modified));
    }
}
