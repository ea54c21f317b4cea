package org.jupyterhealth.exchange.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {
    private static final String SCHEMA = "jhe_devstack_migrations_test";

    @TempDir
    Path dir;

    /** A service's application jar with these files. */
    private Path jar(Map<String, String> files) throws IOException {
        Path jar = dir.resolve("service.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (Map.Entry<String, String> entry : files.entrySet()) {
                out.putNextEntry(new JarEntry(entry.getKey()));
                out.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    @Test
    void theVersionedMigrationsAndTheSchemaOfABuildAreReadFromItsJar() throws IOException {
        Migrations migrations = Migrations.of(jar(Map.of(
                "application.properties", "quarkus.flyway.default-schema=fhir\n",
                "db/migration/V1__grant_service_role.sql", "",
                "db/migration/V11__read_the_audit_trail.sql", "",
                "db/migration/V2_1__a_point_release.sql", "",
                "db/migration/R__a_repeatable_one.sql", "",
                "db/callbacks/beforeMigrate__create_login_role.sql", "")));

        assertThat(migrations.schema()).isEqualTo("fhir");
        assertThat(migrations.versions()).containsExactlyInAnyOrder("1", "11", "2.1");
    }

    @Test
    void theDemoSeedOfABuildIsReadFromItsJarWithItsOwnHistory() throws IOException {
        Path jar = jar(Map.of(
                "application.properties", "quarkus.flyway.default-schema=ingest\n",
                "db/migration/V1__create_observations.sql", "",
                "db/seed/V1__demo_observations.sql", "",
                "db/seed/V2__more_demo_observations.sql", ""));

        Migrations seed = Migrations.seed(jar);

        assertThat(seed.schema()).isEqualTo("ingest");
        assertThat(seed.versions()).containsExactlyInAnyOrder("1", "2");
        assertThat(seed.history()).isEqualTo("demo_seed_history");
        assertThat(Migrations.of(jar).history()).isEqualTo("flyway_schema_history");
        assertThat(Migrations.seed(jar(Map.of("application.properties", "quarkus.flyway.default-schema=fhir\n",
                "db/migration/V1__create_observations.sql", ""))).versions()).as("a service without a seed").isEmpty();
    }

    @Test
    void aSchemaThatIsNoPlainNameIsRefused() throws IOException {
        Path jar = jar(Map.of("application.properties", "quarkus.flyway.default-schema=x; DROP TABLE y\n"));

        assertThatThrownBy(() -> Migrations.of(jar)).isInstanceOf(LauncherException.class)
                .hasMessageContaining("not a plain schema name");
    }

    /** Against the server the tests use ({@code ./jhe test}), in a schema of its own. */
    @Test
    void missingAreTheVersionsTheHistoryDoesNotListAsAppliedWithSuccess() throws SQLException {
        String host = System.getenv().getOrDefault("JHE_DB_HOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("JHE_DB_PORT", "5432"));
        String name = System.getenv().getOrDefault("JHE_TEST_DB_NAME", "jhe_test");
        Migrations migrations = new Migrations(SCHEMA, Set.of("1", "2", "3"), "flyway_schema_history");
        Migrations seed = new Migrations(SCHEMA, Set.of("1"), "demo_seed_history");
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + name,
                "postgres", null); Statement sql = db.createStatement()) {
            sql.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            try {
                assertThat(migrations.missing(db)).as("no schema yet").containsExactly("1", "2", "3");

                sql.execute("CREATE SCHEMA " + SCHEMA);
                sql.execute("CREATE TABLE " + SCHEMA + ".flyway_schema_history (version text, success boolean)");
                sql.execute("INSERT INTO " + SCHEMA + ".flyway_schema_history VALUES (NULL, true), ('1', true),"
                        + " ('2', false)");
                assertThat(migrations.missing(db)).containsExactly("2", "3");

                sql.execute("INSERT INTO " + SCHEMA + ".flyway_schema_history VALUES ('2', true), ('3', true)");
                assertThat(migrations.missing(db)).isEmpty();
                assertThat(seed.missing(db)).as("the seed's history is its own table").containsExactly("1");

                sql.execute("CREATE TABLE " + SCHEMA + ".demo_seed_history (version text, success boolean)");
                sql.execute("INSERT INTO " + SCHEMA + ".demo_seed_history VALUES ('0', true), ('1', true)");
                assertThat(seed.missing(db)).isEmpty();
            } finally {
                sql.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }
}
