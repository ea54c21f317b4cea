package org.jupyterhealth.exchange.ingest.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of the upload path ({@code jhe.ingest.upload.*}, env {@code JHE_INGEST_UPLOAD_*}). The connection to
 * admin-service is configured by {@code jhe.ingest.admin-url} and {@code jhe.ingest.service-client-secret}
 * (see application.properties).
 */
@ConfigMapping(prefix = "jhe.ingest.upload")
public interface IngestConfig {

    /** How long to wait for admin-service's upload decisions before the upload is answered 503. */
    @WithDefault("5s")
    Duration decisionTimeout();

    /**
     * How long an upload decision of admin-service is reused for the same user, patient, code and data source;
     * never more than one second (a withdrawn consent must take effect within a second). {@code 0} turns it off.
     */
    @WithDefault("1s")
    Duration decisionCache();

    /**
     * How long a processed upload is remembered, to recognise its redelivery: longer than the retention of the
     * {@code observation-uploads} topic.
     */
    @WithDefault("8d")
    Duration memory();

    /**
     * Kafka consumers of {@code observation-uploads} in this replica; each processes its partitions in order.
     * Two replicas of six use the topic's twelve partitions.
     */
    @WithDefault("6")
    int consumers();

    /**
     * The consumer group protocol of the upload and admin-event consumers (group {@code ingest-service}):
     * {@code consumer} (KIP-848, brokers of Kafka 4.0 and later; a stopping replica leaves without stopping the
     * others) or {@code classic}. The committed offsets of the group are kept either way.
     */
    @WithDefault("consumer")
    String groupProtocol();
}
