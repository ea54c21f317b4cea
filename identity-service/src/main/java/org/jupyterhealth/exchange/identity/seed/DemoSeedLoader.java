package org.jupyterhealth.exchange.identity.seed;

import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.common.seed.DemoSeed;
import org.jupyterhealth.exchange.identity.config.IdentityConfig;

import io.quarkus.runtime.StartupEvent;

/** Loads the demo users and OAuth clients when the local run asks for them ({@code jhe.identity.demo-seed}). */
@Singleton
public class DemoSeedLoader {
    private static final Logger LOG = Logger.getLogger(DemoSeedLoader.class);

    void onStart(@Observes StartupEvent event, IdentityConfig config) {
        if (config.demoSeed()) {
            LOG.infof("demo seed: %d script(s) applied", DemoSeed.apply(ConfigProvider.getConfig(),
                    Map.of("public_url", IdentityConfig.stripTrailingSlash(config.publicUrl()))));
        }
    }
}
