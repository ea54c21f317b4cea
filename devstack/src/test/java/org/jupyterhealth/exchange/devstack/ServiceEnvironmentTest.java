package org.jupyterhealth.exchange.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.devstack.ServiceEnvironment.Database;

class ServiceEnvironmentTest {
    private static final Settings SETTINGS = Settings.from(Path.of("/project"), Map.of());
    private static final Database SERVER = new Database("127.0.0.1", 5432, false);

    @Test
    void aServiceListensOnItsPortsAndReachesTheOthersOnTheirs() {
        Map<String, String> env = ServiceEnvironment.of(SETTINGS, Stack.of("dev", 0), new Instance(Service.FHIR, 0),
                SERVER);

        assertThat(env).containsEntry("QUARKUS_PROFILE", "local")
                .containsEntry("QUARKUS_HTTP_HOST", "127.0.0.1")
                .containsEntry("QUARKUS_HTTP_PORT", "8083")
                .containsEntry("QUARKUS_MANAGEMENT_HOST", "127.0.0.1")
                .containsEntry("QUARKUS_MANAGEMENT_PORT", "8583")
                .containsEntry("JHE_DB_HOST", "127.0.0.1")
                .containsEntry("JHE_DB_PORT", "5432")
                .containsEntry("JHE_DB_NAME", "jhe")
                .containsEntry("QUARKUS_FLYWAY_USERNAME", "postgres")
                .containsEntry("JHE_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
                .containsEntry("QUARKUS_OIDC_AUTH_SERVER_URL", "http://127.0.0.1:8081/o")
                .containsEntry("QUARKUS_OIDC_TOKEN_ISSUER", "http://localhost:8000/o")
                .containsEntry("JHE_FHIR_PUBLIC_URL", "http://localhost:8000")
                .containsEntry("JHE_FHIR_ADMIN_URL", "http://127.0.0.1:8082")
                .containsEntry("JHE_GATEWAY_FHIR_URL", "http://127.0.0.1:8083")
                .containsEntry("JHE_IDENTITY_SIGNING_KEYS_DIR", "/project/.jhe/dev/keys")
                .doesNotContainKey("QUARKUS_FLYWAY_PASSWORD")
                .doesNotContainKey("JHE_GATEWAY_RATE_LIMIT_REQUESTS_PER_SECOND")
                .doesNotContainKey("JHE_GATEWAY_RATE_LIMIT_AUTH_REQUESTS_PER_SECOND");
    }

    @Test
    void aReplicaListensBesideItsService() {
        Map<String, String> env = ServiceEnvironment.of(SETTINGS, Stack.of("dev", 3000),
                new Instance(Service.INGEST, 2), SERVER);

        assertThat(env).containsEntry("QUARKUS_HTTP_PORT", "11104").containsEntry("QUARKUS_MANAGEMENT_PORT", "11604")
                .containsEntry("JHE_DB_NAME", "jhe_3000").containsEntry("JHE_KAFKA_BOOTSTRAP", "127.0.0.1:12092")
                .containsEntry("JHE_INGEST_ADMIN_URL", "http://127.0.0.1:11082");
    }

    @Test
    void systemTestServicesReachPostgresThroughTheRelayAndSignInWithoutLimit() {
        Map<String, String> env = ServiceEnvironment.of(SETTINGS, Stack.of("systest", 0),
                new Instance(Service.GATEWAY, 0), new Database("127.0.0.1", 15432, true));

        assertThat(env).containsEntry("JHE_DB_PORT", "18089").containsEntry("JHE_DB_NAME", "jhe_systest")
                .containsEntry("JHE_GATEWAY_RATE_LIMIT_AUTH_REQUESTS_PER_SECOND", "0")
                .doesNotContainKey("JHE_GATEWAY_RATE_LIMIT_REQUESTS_PER_SECOND");
    }

    @Test
    void servicesWithASchemaStartWithoutMigratingAfterTheirMigrationRunMigratedAndExited() {
        Stack dev = Stack.of("dev", 0);

        assertThat(ServiceEnvironment.of(SETTINGS, dev, new Instance(Service.INGEST, 0), SERVER))
                .containsEntry("QUARKUS_FLYWAY_MIGRATE_AT_START", "false").doesNotContainKey("QUARKUS_INIT_AND_EXIT");
        assertThat(ServiceEnvironment.of(SETTINGS, dev, new Instance(Service.INGEST, 2), SERVER))
                .containsEntry("QUARKUS_FLYWAY_MIGRATE_AT_START", "false");
        assertThat(ServiceEnvironment.of(SETTINGS, dev, new Instance(Service.GATEWAY, 0), SERVER))
                .doesNotContainKey("QUARKUS_FLYWAY_MIGRATE_AT_START");

        Map<String, String> migration = ServiceEnvironment.migration(SETTINGS, dev, Service.FHIR, SERVER);
        assertThat(migration).containsEntry("QUARKUS_INIT_AND_EXIT", "true")
                .containsEntry("QUARKUS_FLYWAY_MIGRATE_AT_START", "true")
                .containsEntry("QUARKUS_FLYWAY_USERNAME", "postgres")
                .containsEntry("JHE_DB_NAME", "jhe")
                .containsEntry("QUARKUS_HTTP_PORT", "0")
                .containsEntry("QUARKUS_MANAGEMENT_PORT", "0");
        assertThat(Stream.of(Service.values()).filter(Service::migrates))
                .containsExactly(Service.IDENTITY, Service.ADMIN, Service.FHIR, Service.INGEST);
    }

    @Test
    void aMigrationRunHasItsServicesJvmOptionsWithoutAHeapTouchedAtStart() {
        ServiceJava java25 = new ServiceJava(Path.of("/jdk25/bin/java"), "25.0.3", 25);

        assertThat(JvmOptions.migration(JvmOptions.service(Stack.of("bench", 0), Service.FHIR, null, java25)))
                .doesNotContain("-Xms768m", "-XX:+AlwaysPreTouch")
                .contains("-Xmx768m", "-XX:+UseParallelGC", "-XX:+UseCompactObjectHeaders");
    }

    @Test
    void benchServicesHaveNoPerClientLimit() {
        Map<String, String> env = ServiceEnvironment.of(SETTINGS, Stack.of("bench", 0),
                new Instance(Service.GATEWAY, 0), SERVER);

        assertThat(env).containsEntry("JHE_GATEWAY_RATE_LIMIT_REQUESTS_PER_SECOND", "0")
                .containsEntry("QUARKUS_HTTP_PORT", "28000");
    }

    @Test
    void userSettingsReachTheServices() {
        Settings settings = Settings.from(Path.of("/project"), Map.of("JHE_PUBLIC_URL", "https://jhe.example.org",
                "JHE_PROFILE", "dev", "JHE_DB_ADMIN_USER", "owner", "JHE_DB_ADMIN_PASSWORD", "secret"));

        Map<String, String> env = ServiceEnvironment.of(settings, Stack.of("dev", 0),
                new Instance(Service.IDENTITY, 0), SERVER);

        assertThat(env).containsEntry("QUARKUS_PROFILE", "dev")
                .containsEntry("QUARKUS_FLYWAY_USERNAME", "owner")
                .containsEntry("QUARKUS_FLYWAY_PASSWORD", "secret")
                .containsEntry("JHE_IDENTITY_PUBLIC_URL", "https://jhe.example.org")
                .containsEntry("QUARKUS_OIDC_TOKEN_ISSUER", "https://jhe.example.org/o");
    }

    @Test
    void servicesGetTheirJvmOptionsPerStackUnlessJheJavaOptsSays() {
        ServiceJava java17 = new ServiceJava(Path.of("/jdk17/bin/java"), "17.0.15", 17);
        Stack dev = Stack.of("dev", 0);
        Stack bench = Stack.of("bench", 0);

        assertThat(JvmOptions.service(dev, Service.FHIR, null, java17)).contains("-Xms16m", "-XX:MaxNewSize=320m",
                "-XX:+UseSerialGC")
                .doesNotContain("-XX:+AlwaysPreTouch", "-Xmn320m", "-XX:+UseCompactObjectHeaders");
        assertThat(JvmOptions.service(bench, Service.FHIR, null, java17)).contains("-Xms768m", "-XX:+AlwaysPreTouch");
        assertThat(JvmOptions.service(bench, Service.FHIR, " -Xmx1g  -XX:+UseG1GC ", java17))
                .containsExactly("-Xmx1g", "-XX:+UseG1GC");
    }

    @Test
    void jheJavaOptsUpGivesTheBenchStackWhatJheUpGivesEachService() {
        ServiceJava java17 = new ServiceJava(Path.of("/jdk17/bin/java"), "17.0.15", 17);
        Stack bench = Stack.of("bench", 0);

        assertThat(JvmOptions.service(bench, Service.FHIR, " up ", java17))
                .isEqualTo(JvmOptions.service(Stack.of("dev", 0), Service.FHIR, null, java17))
                .contains("-XX:+UseSerialGC", "-Xms16m")
                .doesNotContain("-XX:+AlwaysPreTouch", "-XX:+UseParallelGC", "up");
        assertThat(JvmOptions.service(bench, Service.IDENTITY, "up", java17)).contains("-XX:+UseG1GC")
                .doesNotContain("-XX:+UseSerialGC");
    }

    @Test
    void identityServiceGivesBackTheHeapItsPasswordHashesGrewExceptOnTheBenchStack() {
        ServiceJava java17 = new ServiceJava(Path.of("/jdk17/bin/java"), "17.0.15", 17);

        assertThat(JvmOptions.service(Stack.of("dev", 0), Service.IDENTITY, null, java17))
                .contains("-Xms16m", "-Xmx768m", "-XX:+UseG1GC", "-XX:G1PeriodicGCInterval=5000")
                .doesNotContain("-XX:+UseSerialGC");
        assertThat(JvmOptions.service(Stack.of("systest", 0), Service.IDENTITY, null, java17))
                .contains("-XX:+UseG1GC");
        assertThat(JvmOptions.service(Stack.of("bench", 0), Service.IDENTITY, null, java17))
                .isEqualTo(JvmOptions.BENCH_SERVICE);
        assertThat(JvmOptions.service(Stack.of("dev", 0), Service.ADMIN, null, java17)).contains("-XX:+UseSerialGC");
    }

    @Test
    void onJava25ServicesHaveCompactObjectHeadersUnlessJheJavaOptsSaysOtherwise() {
        ServiceJava java25 = new ServiceJava(Path.of("/jdk25/bin/java"), "25.0.3", 25);
        Stack dev = Stack.of("dev", 0);

        assertThat(JvmOptions.service(dev, Service.FHIR, null, java25)).contains("-XX:+UseCompactObjectHeaders");
        assertThat(JvmOptions.service(Stack.of("bench", 0), Service.FHIR, null, java25))
                .contains("-XX:+UseCompactObjectHeaders");
        assertThat(JvmOptions.service(dev, Service.FHIR, "-Xmx1g -XX:-UseCompactObjectHeaders", java25))
                .containsExactly("-Xmx1g", "-XX:-UseCompactObjectHeaders");
    }

    /** The variable ./jhe sets is the one each service with a seed reads (its local profile's switch). */
    @Test
    void theDemoSeedSwitchIsTheServicesOwnSetting() throws IOException {
        for (Service service : Stream.of(Service.values()).filter(Service::migrates).toList()) {
            Path seed = Path.of("..", service.id(), "src/main/resources/db/seed");
            if (!Files.isDirectory(seed)) {
                continue;
            }
            String variable = ServiceEnvironment.demoSeedSwitch(service);
            String property = variable.toLowerCase().replaceFirst("^jhe_", "jhe.").replaceFirst("_demo_seed$",
                    ".demo-seed");
            assertThat(Files.readString(Path.of("..", service.id(), "src/main/resources/application.properties")))
                    .as(service.id()).contains("%local." + property + "=true");
        }
        assertThat(ServiceEnvironment.demoSeedSwitch(Service.INGEST)).isEqualTo("JHE_INGEST_DEMO_SEED");
    }
}
