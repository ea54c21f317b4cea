package org.jupyterhealth.exchange.common.kafka;

import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.kafka.client.runtime.KafkaAdminClient;
import io.quarkus.runtime.StartupEvent;

/**
 * Readiness's Kafka check ({@code quarkus.kafka.health}) makes its admin client and asks the broker for the cluster
 * the first time it runs, which made the first readiness probe after a start the slowest part of the way to ready.
 * This bean does that first round at start, on a thread of its own while the start goes on, so that the first probe
 * finds the client connected and only asks the broker (docs/architecture.md, "The first readiness probe, and the
 * JVM's own start"). The probe still asks the broker each time: a broker that is away makes the service not ready,
 * as before.
 *
 * <p>A bean only in the services that say {@code quarkus.kafka.health.enabled=true} (common is a bean archive in
 * every service, and the gateway has no Kafka client).
 */
@Singleton
@IfBuildProperty(name = "quarkus.kafka.health.enabled", stringValue = "true")
public class KafkaHealthWarmUp {
    private static final Logger LOG = Logger.getLogger(KafkaHealthWarmUp.class);
    /** Longer than a broker that is up takes; a broker that is away is readiness's to report, not this bean's. */
    private static final long WAIT_SECONDS = 10;

    private final KafkaAdminClient admin;

    public KafkaHealthWarmUp(KafkaAdminClient admin) {
        this.admin = admin;
    }

    // first among the start's observers, so that the broker's round trips overlap the rest of the start
    void warm(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        Thread warmUp = new Thread(this::describeCluster, "kafka-health-warm-up");
        // a service stopping during the warm-up does not wait for it
        warmUp.setDaemon(true);
        warmUp.start();
    }

    void describeCluster() {
        long started = System.nanoTime();
        try {
            admin.getCluster().nodes().get(WAIT_SECONDS, TimeUnit.SECONDS);
            LOG.debugf("Kafka admin client connected in %d ms", (System.nanoTime() - started) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // readiness reports the broker's absence; this was only a head start
            LOG.debugf("Kafka admin client not connected at start: %s", e.toString());
        }
    }
}
