package org.jupyterhealth.exchange.common.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every Kafka topic of the system, with its partition count and retention: the one place they are defined.
 * The local broker is set up from this list (devstack), and the Kubernetes KafkaTopic resources must agree with it.
 */
public enum Topic {
    /** Observation upload batches produced by fhir-service; key = patient id of the first entry. */
    OBSERVATION_UPLOADS("observation-uploads", 12, Duration.ofDays(7), false, Topic.UPLOAD_RECORD_BYTES),
    /** Per-entry outcomes of each upload produced by ingest-service; key = upload id. */
    OBSERVATION_UPLOAD_RESULTS("observation-upload-results", 6, Duration.ofDays(1), false, 0),
    /** Upload records that could not be processed, with the reason in a header. */
    OBSERVATION_UPLOADS_DLQ("observation-uploads-dlq", 3, Duration.ofDays(30), false, Topic.UPLOAD_RECORD_BYTES),
    /** Domain events of admin-service: patient deleted, consent changed, membership changed. */
    ADMIN_EVENTS("admin-events", 6, Duration.ofDays(7), false, 0),
    /** Revoked access-token ids (jti) with their expiry; compacted, so a new consumer can rebuild the set. */
    TOKEN_REVOCATIONS("token-revocations", 3, Duration.ofDays(30), true, 0),
    /**
     * Audit events of every service (common {@code AuditEvent}); key = the first patient id, or {@code no-patient}.
     * ingest-service stores them, hash-chained per partition: the topic is only the way there.
     */
    AUDIT_EVENTS("audit-events", 6, Duration.ofDays(7), false, 0);

    /**
     * Largest upload record (32 MiB): an accepted request body (at most 20 MB, fhir-service's
     * {@code jhe.fhir.upload.max-body-size}) with its envelope. The producers of upload records set their
     * {@code max.request.size} to it.
     */
    public static final int UPLOAD_RECORD_BYTES = 32 * 1024 * 1024;

    private final String topicName;
    private final int partitions;
    private final Duration retention;
    private final boolean compacted;
    /** Largest record batch the topic takes, in bytes; 0 for the broker's default (1 MB). */
    private final int maxMessageBytes;

    Topic(String topicName, int partitions, Duration retention, boolean compacted, int maxMessageBytes) {
        this.topicName = topicName;
        this.partitions = partitions;
        this.retention = retention;
        this.compacted = compacted;
        this.maxMessageBytes = maxMessageBytes;
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
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("cleanup.policy", compacted ? "compact" : "delete");
        configs.put("retention.ms", Long.toString(retention.toMillis()));
        if (maxMessageBytes > 0) {
            configs.put("max.message.bytes", Integer.toString(maxMessageBytes));
        }
        return configs;
    }
}
