package org.jupyterhealth.exchange.common.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jupyterhealth.exchange.common.audit.AuditEvent;
import org.jupyterhealth.exchange.common.audit.AuditJson;
import org.jupyterhealth.exchange.common.kafka.Topic;

/**
 * The audit events a service under test produces, read back from topic {@code audit-events} on the test's broker:
 * every partition, from the moment this reader is made. A test tags its request with a request id of its own and
 * asks for the events of that request; each value is checked against the contract (docs/internal-api.yaml).
 */
public final class TestAuditEvents implements AutoCloseable {
    /** An event as the broker has it: its key, its text, and what that text says. */
    public record Produced(String key, String value, AuditEvent event) {
    }

    private final KafkaConsumer<String, String> consumer;
    private final List<Produced> seen = new ArrayList<>();

    public TestAuditEvents() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers",
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        properties.put("key.deserializer", StringDeserializer.class.getName());
        properties.put("value.deserializer", StringDeserializer.class.getName());
        properties.put("enable.auto.commit", "false");
        consumer = new KafkaConsumer<>(properties);
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < Topic.AUDIT_EVENTS.partitions(); p++) {
            partitions.add(new TopicPartition(Topic.AUDIT_EVENTS.topicName(), p));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fixes the starting point now, not at the first poll
    }

    /** A request id for one request of a test. */
    public static String requestId() {
        return "audit-test-" + UUID.randomUUID();
    }

    /**
     * The events of a request: waits until one has come (30 s at most: a loaded CI machine can take seconds for a first
     * send), then a moment longer, so that a second event of the same request would be seen too.
     */
    public List<Produced> of(String requestId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<Produced> found = matching(requestId);
        while (found.isEmpty() && System.nanoTime() < deadline) {
            poll(Duration.ofMillis(200));
            found = matching(requestId);
        }
        poll(Duration.ofMillis(700));
        return matching(requestId);
    }

    /** Every event seen so far (after a short poll). */
    public List<Produced> all() {
        poll(Duration.ofMillis(700));
        return List.copyOf(seen);
    }

    private void poll(Duration time) {
        for (ConsumerRecord<String, String> record : consumer.poll(time)) {
            ContractCheck.messageProblems("AuditEvent", record.value()).forEach(ContractCheck::violation);
            seen.add(new Produced(record.key(), record.value(), AuditJson.read(record.value())));
        }
    }

    private List<Produced> matching(String requestId) {
        return seen.stream().filter(p -> requestId.equals(p.event().requestId())).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
