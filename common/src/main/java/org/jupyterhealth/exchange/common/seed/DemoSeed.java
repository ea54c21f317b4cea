package org.jupyterhealth.exchange.common.seed;

import java.util.Map;

import org.eclipse.microprofile.config.Config;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Loads a service's demo data (the original's seed, docs/compatibility.md#demo-data) from {@code classpath:db/seed},
 * once, with its own Flyway history table, through the same connection settings as the service's migrations. Only
 * the local run enables it ({@code ./jhe up}); production never does.
 */
public final class DemoSeed {
    private DemoSeed() {
    }

    /**
     * Applies the pending seed scripts to the service's schema ({@code quarkus.flyway.default-schema}).
     *
     * @param placeholders values for {@code ${name}} placeholders in the seed scripts
     * @return the number of seed scripts applied by this call
     */
    public static int apply(Config config, Map<String, String> placeholders) {
        String url = config.getOptionalValue("quarkus.flyway.jdbc-url", String.class)
                .orElseGet(() -> config.getValue("quarkus.datasource.jdbc.url", String.class));
        String user = config.getOptionalValue("quarkus.flyway.username", String.class)
                .orElseGet(() -> config.getValue("quarkus.datasource.username", String.class));
        String password = config.getOptionalValue("quarkus.flyway.password", String.class)
                .or(() -> config.getOptionalValue("quarkus.datasource.password", String.class))
                .orElse(null);
        String schema = config.getValue("quarkus.flyway.default-schema", String.class);
        MigrateResult result = Flyway.configure()
                .dataSource(url, user, password)
                .schemas(schema)
                .defaultSchema(schema)
                .locations("classpath:db/seed")
                .table("demo_seed_history")
                .placeholders(placeholders)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                // a seed script that changes the data gets a new version; one whose comments were reworded must not
                // stop the local run on a database seeded before
                .validateOnMigrate(false)
                .load()
                .migrate();
        return result.migrationsExecuted;
    }
}
