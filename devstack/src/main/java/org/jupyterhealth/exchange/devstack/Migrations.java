package org.jupyterhealth.exchange.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Enumeration;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Flyway migrations of a service's build, and whether its schema has them all: {@code ./jhe} starts a service's
 * migration run only when a migration is missing, since a run costs a JVM's start and Quarkus' exit after its
 * initialization (about 5 s), which a restart of a service whose schema is up to date need not pay.
 *
 * <p>The same for the demo seed ({@link #seed}): the scripts a service applies to its schema at its start on the
 * local stacks, with a Flyway history of their own; {@code ./jhe} switches the seed off for a start that would find
 * nothing to apply, so that the service does not load Flyway and open a JDBC connection to find so.
 *
 * @param schema   the service's schema ({@code quarkus.flyway.default-schema} of its configuration)
 * @param versions the versions of its versioned migrations ({@code db/migration/V<version>__<name>.sql}), as Flyway
 *                 writes them in its history ({@code 1}, {@code 2.1})
 * @param history  the table of Flyway's history in the schema
 */
record Migrations(String schema, Set<String> versions, String history) {
    private static final Pattern VERSIONED = Pattern.compile("db/migration/V([0-9][0-9._]*)__[^/]+\\.sql");
    private static final Pattern SEED = Pattern.compile("db/seed/V([0-9][0-9._]*)__[^/]+\\.sql");
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** The migrations packaged in a service's application jar ({@code target/quarkus-app/app/}). */
    static Migrations of(Path applicationJar) {
        return read(applicationJar, VERSIONED, "flyway_schema_history");
    }

    /**
     * The demo seed's scripts packaged in a service's application jar ({@code db/seed}, none for a service without a
     * seed), whose history is the table {@code demo_seed_history} (common's {@code DemoSeed} applies them).
     */
    static Migrations seed(Path applicationJar) {
        return read(applicationJar, SEED, "demo_seed_history");
    }

    private static Migrations read(Path applicationJar, Pattern scripts, String history) {
        try (JarFile jar = new JarFile(applicationJar.toFile())) {
            Set<String> versions = new TreeSet<>();
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements();) {
                Matcher migration = scripts.matcher(entries.nextElement().getName());
                if (migration.matches()) {
                    versions.add(migration.group(1).replace('_', '.'));
                }
            }
            JarEntry configuration = jar.getJarEntry("application.properties");
            if (configuration == null) {
                throw new LauncherException(applicationJar + " has no application.properties");
            }
            Properties properties = new Properties();
            try (InputStream in = jar.getInputStream(configuration)) {
                properties.load(in);
            }
            String schema = properties.getProperty("quarkus.flyway.default-schema", "");
            if (!SCHEMA.matcher(schema).matches()) {
                throw new LauncherException(applicationJar + ": quarkus.flyway.default-schema is not a plain schema"
                        + " name: '" + schema + "'");
            }
            return new Migrations(schema, Set.copyOf(versions), history);
        } catch (IOException e) {
            throw new LauncherException("cannot read " + applicationJar + ": " + e.getMessage());
        }
    }

    /**
     * The versions the schema's Flyway history does not list as applied with success: all of them when it has no
     * history yet.
     */
    Set<String> missing(Connection db) throws SQLException {
        Set<String> missing = new TreeSet<>(versions);
        try (PreparedStatement exists = db.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, schema + "." + history);
            try (ResultSet rows = exists.executeQuery()) {
                rows.next();
                if (!rows.getBoolean(1)) {
                    return missing;
                }
            }
        }
        // the schema is a plain name (checked above) and the table one of ours: they can be part of the statement
        try (PreparedStatement applied = db.prepareStatement("SELECT version FROM " + schema + "." + history
                + " WHERE success AND version IS NOT NULL");
                ResultSet rows = applied.executeQuery()) {
            while (rows.next()) {
                missing.remove(rows.getString(1));
            }
        }
        return missing;
    }
}
