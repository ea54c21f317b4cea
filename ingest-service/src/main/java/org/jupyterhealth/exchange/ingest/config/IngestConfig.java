package org.jupyterhealth.exchange.ingest.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** ingest-service's own settings ({@code jhe.ingest.*}, env {@code JHE_INGEST_*}). */
@ConfigMapping(prefix = "jhe.ingest")
public interface IngestConfig {

    /** How long to wait for admin-service's upload decisions before the upload is answered 503. */
    @WithDefault("5s")
    Duration decisionTimeout();

    /**
     * How long a processed upload is remembered, to recognise its redelivery: longer than the retention of the
     * {@code observation-uploads} topic.
     */
    @WithDefault("8d")
    Duration uploadMemory();

    /**
     * The secret of ingest-service's OAuth client ({@code ingest-service}) at identity-service, for its
     * client-credentials token; read by {@code quarkus.oidc-client.credentials.secret}.
     */
    Optional<String> serviceClientSecret();

    /** Base URL of admin-service for the upload decisions (default: the local run's admin-service). */
    Optional<String> adminUrl();

    /** Kafka consumers of {@code observation-uploads} in this replica; each processes its partitions in order. */
    @WithDefault("4")
    int consumers();
}
