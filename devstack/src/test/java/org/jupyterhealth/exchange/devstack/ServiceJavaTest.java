package org.jupyterhealth.exchange.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceJavaTest {
    @TempDir
    Path jvm;

    private Path jdk(String folder, String version) throws IOException {
        Path home = jvm.resolve(folder);
        Files.createDirectories(home.resolve("bin"));
        Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"" + version
                + "\"\nJAVA_VERSION_DATE=\"2026-04-21\"\n");
        return home;
    }

    @Test
    void theNewestJdkOf25OrLaterInstalledRunsTheServices() throws IOException {
        jdk("java-17-openjdk-amd64", "17.0.15");
        jdk("temurin-25-jdk-amd64", "25.0.3");
        jdk("temurin-26-jdk-amd64", "26.0.1");

        ServiceJava java = ServiceJava.find(null, jvm);

        assertThat(java.version()).isEqualTo("26.0.1");
        assertThat(java.feature()).isEqualTo(26);
        assertThat(java.java()).isEqualTo(jvm.resolve("temurin-26-jdk-amd64/bin/java"));
        assertThat(java.hasAotCache()).isTrue();
    }

    @Test
    void withoutAJdk25TheLaunchersOwnJavaRunsThem() throws IOException {
        jdk("java-17-openjdk-amd64", "17.0.15");
        Files.createDirectories(jvm.resolve("broken-jdk"));

        ServiceJava java = ServiceJava.find(null, jvm);

        assertThat(java.feature()).isEqualTo(Runtime.version().feature());
        assertThat(ServiceJava.find(null, jvm.resolve("missing")).feature()).isEqualTo(Runtime.version().feature());
    }

    @Test
    void jheJavaHomeIsTakenAsItIsEvenIfOlder() throws IOException {
        jdk("temurin-25-jdk-amd64", "25.0.3");
        Path java17 = jdk("java-17-openjdk-amd64", "17.0.15");

        ServiceJava java = ServiceJava.find(java17, jvm);

        assertThat(java.version()).isEqualTo("17.0.15");
        assertThat(java.hasAotCache()).isFalse();
        assertThatThrownBy(() -> ServiceJava.find(jvm.resolve("nothing-here"), jvm))
                .isInstanceOf(LauncherException.class).hasMessageContaining("JHE_JAVA_HOME");
    }

    @Test
    void featureReleaseOfEveryVersionSpelling() {
        assertThat(ServiceJava.feature("25")).isEqualTo(25);
        assertThat(ServiceJava.feature("25.0.3")).isEqualTo(25);
        assertThat(ServiceJava.feature("17.0.15+6")).isEqualTo(17);
        assertThat(ServiceJava.feature("26-ea")).isEqualTo(26);
        assertThat(ServiceJava.feature("1.8.0_412")).isEqualTo(8);
    }
}
