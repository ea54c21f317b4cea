package org.jupyterhealth.exchange.common.kafka;

import java.time.Duration;
import java.util.Map;

/**
 * Every Kafka topic of the system, with its partition count and retention: the one place they are defined.
 * The local broker is set up from this list (devstack), and the Kubernetes KafkaTopic resources must agree with it.
 */
public enum Topic {
    /** Observation upload batches produced by fhir-service; key = patient id of the first entry. */
    OBSERVATION_UPLOADS("observation-uploads", 12, Duration.ofDays(7), false),
    /** Per-entry outcomes of each upload produced by ingest-service; key = upload id. */
    OBSERVATION_UPLOAD_RESULTS("observation-upload-results", 6, Duration.ofDays(1), false),
    /** Upload records that could not be processed, with the reason in a header. */
    OBSERVATION_UPLOADS_DLQ("observation-uploads-dlq", 3, Duration.ofDays(30), false),
    /** Domain events of admin-service: patient deleted, consent changed, membership changed. */
    ADMIN_EVENTS("admin-events", 6, Duration.ofDays(7), false),
    /** Revoked access-token ids (jti) with their expiry; compacted, so a new consumer can rebuild the set. */
    TOKEN_REVOCATIONS("token-revocations", 3, Duration.ofDays(30), true);

    private final String topicName;
    private final int partitions;
    private final Duration retention;
    private final boolean compacted;

    Topic(String topicName, int partitions, Duration retention, boolean compacted) {
        this.topicName = topicName;
        this.partitions = partitions;
        this.retention = retention;
        this.compacted = compacted;
    }

    public String topicName() {
        return topicName;
    }

    public int partitions() {
        return partitions;
    }

    public Duration retention() {
        return retention;
    }

    public boolean compacted() {
        return compacted;
    }

    /** Topic-level configuration, in Kafka's own keys. */
    public Map<String, String> configs() {
        return Map.of(
                "cleanup.policy", compacted ? "compact" : "delete",
                "retention.ms", Long.toString(retention.toMillis()));
    }
}
