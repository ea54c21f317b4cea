package org.jupyterhealth.exchange.admin.seed;

import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.admin.config.AdminConfig;
import org.jupyterhealth.exchange.common.seed.DemoSeed;

import io.quarkus.runtime.StartupEvent;

/**
 * Loads the admin-owned demo data of the original's seed (docs/compatibility.md#demo-data) when the local run asks for
 * it ({@code jhe.admin.demo-seed}, set only in the {@code local} profile), never in production.
 */
@Singleton
public class DemoSeedLoader {
    private static final Logger LOG = Logger.getLogger(DemoSeedLoader.class);

    void onStart(@Observes StartupEvent event, AdminConfig config) {
        if (config.demoSeed()) {
            String publicUrl = config.publicUrl().endsWith("/")
                    ? config.publicUrl().substring(0, config.publicUrl().length() - 1) : config.publicUrl();
            LOG.infof("demo seed: %d script(s) applied",
                    DemoSeed.apply(ConfigProvider.getConfig(), Map.of("public_url", publicUrl)));
        }
    }
}
