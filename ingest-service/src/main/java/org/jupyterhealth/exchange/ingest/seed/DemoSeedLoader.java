package org.jupyterhealth.exchange.ingest.seed;

import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.common.seed.DemoSeed;

import io.quarkus.runtime.StartupEvent;

/** Loads the original's 9 demo observations when the local run asks for them ({@code jhe.ingest.demo-seed}). */
@Singleton
public class DemoSeedLoader {
    private static final Logger LOG = Logger.getLogger(DemoSeedLoader.class);

    void onStart(@Observes StartupEvent event,
            @ConfigProperty(name = "jhe.ingest.demo-seed", defaultValue = "false") boolean demoSeed) {
        if (demoSeed) {
            LOG.infof("demo seed: %d script(s) applied", DemoSeed.apply(ConfigProvider.getConfig(), Map.of()));
        }
    }
}
