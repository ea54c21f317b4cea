package org.jupyterhealth.exchange.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SettingsTest {
    private static final Path ROOT = Path.of("/project");

    @Test
    void defaultsWithoutAnyVariable() {
        Settings settings = Settings.from(ROOT, Map.of());

        assertThat(settings.portOffset()).isZero();
        assertThat(settings.profile()).isEqualTo("local");
        assertThat(settings.dbAdminUser()).isEqualTo("postgres");
        assertThat(settings.dbAdminPassword()).isNull();
        assertThat(settings.stopSeconds()).isEqualTo(10);
        assertThat(settings.kafkaStopSeconds()).isEqualTo(30);
        assertThat(settings.startSeconds()).isEqualTo(180);
        assertThat(settings.maven()).isEqualTo("mvn");
        assertThat(settings.publicUrl(Stack.of("dev", 0))).isEqualTo("http://localhost:8000");
        assertThat(settings.javaHome()).isNull();
        assertThat(settings.aotCache()).isEqualTo(Settings.AotCacheMode.ON);
    }

    @Test
    void theServicesJavaAndTheirAotCacheAreChosenByVariables() {
        Settings settings = Settings.from(ROOT, Map.of("JHE_JAVA_HOME", "/opt/jdk-25", "JHE_AOT_CACHE", "false"));

        assertThat(settings.javaHome()).isEqualTo(Path.of("/opt/jdk-25"));
        assertThat(settings.aotCache()).isEqualTo(Settings.AotCacheMode.OFF);
        assertThat(Settings.from(ROOT, Map.of("JHE_AOT_CACHE", "on")).aotCache()).isEqualTo(Settings.AotCacheMode.ON);
        assertThat(Settings.from(ROOT, Map.of("JHE_AOT_CACHE", "train")).aotCache())
                .isEqualTo(Settings.AotCacheMode.TRAIN);
        assertThatThrownBy(() -> Settings.from(ROOT, Map.of("JHE_AOT_CACHE", "maybe")))
                .isInstanceOf(LauncherException.class).hasMessageContaining("JHE_AOT_CACHE");
    }

    @Test
    void portOffsetNamesTheStacksFolder() {
        Settings settings = Settings.from(ROOT, Map.of("JHE_PORT_OFFSET", "3000"));

        assertThat(settings.portOffset()).isEqualTo(3000);
        assertThat(settings.runDir(Stack.of("systest", settings.portOffset())))
                .isEqualTo(Path.of("/project/.jhe/systest_3000"));
        assertThat(settings.runDir(Stack.of("dev", 0))).isEqualTo(Path.of("/project/.jhe/dev"));
    }

    @Test
    void publicUrlReplacesTheLocalOne() {
        assertThat(Settings.from(ROOT, Map.of("JHE_PUBLIC_URL", "https://jhe.example.org"))
                .publicUrl(Stack.of("dev", 0))).isEqualTo("https://jhe.example.org");
    }

    @Test
    void numbersThatAreNoneAreRefused() {
        assertThatThrownBy(() -> Settings.from(ROOT, Map.of("JHE_PORT_OFFSET", "abc")))
                .isInstanceOf(LauncherException.class).hasMessageContaining("JHE_PORT_OFFSET");
        assertThatThrownBy(() -> Settings.from(ROOT, Map.of("JHE_STOP_TIMEOUT", "-1")))
                .isInstanceOf(LauncherException.class).hasMessageContaining("JHE_STOP_TIMEOUT");
    }
}
