package org.jupyterhealth.exchange.common.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.common.kafka.Topic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The access tokens identity-service has revoked, kept in memory until they expire, so that a service refuses a
 * revoked JWT within seconds without asking identity-service per request (docs/architecture.md#revocation).
 * <p>
 * It follows the compacted topic {@code token-revocations} (key {@code jti}, value {@code {"jti", "expiresAt"}},
 * tombstone once expired) from the beginning, every partition, without a consumer group: every replica of every
 * service needs every record. A plain class, not a bean: each service wires it into its own security (a
 * {@code SecurityIdentityAugmentor}) and closes it at shutdown.
 */
public final class RevokedTokens implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RevokedTokens.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration PURGE_EVERY = Duration.ofMinutes(1);

    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    private final Clock clock;
    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean caughtUp;

    private RevokedTokens(KafkaConsumer<String, String> consumer, String name, Clock clock) {
        this.consumer = consumer;
        this.clock = clock;
        this.thread = consumer == null ? null : new Thread(this::follow, name);
    }

    /** Starts following {@code token-revocations} on {@code bootstrapServers}; {@code service} names the thread. */
    public static RevokedTokens follow(String bootstrapServers, String service) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, service + "-token-revocations");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        RevokedTokens tokens = new RevokedTokens(new KafkaConsumer<>(properties), service + "-token-revocations",
                Clock.systemUTC());
        tokens.thread.setDaemon(true);
        tokens.thread.start();
        return tokens;
    }

    /** A list fed by hand (tests, or a service that runs without Kafka). */
    public static RevokedTokens inMemory(Clock clock) {
        return new RevokedTokens(null, "revoked-tokens", clock);
    }

    /** True when the token with this {@code jti} was revoked and has not expired yet. */
    public boolean isRevoked(String jti) {
        if (jti == null) {
            return false;
        }
        Instant expiresAt = revoked.get(jti);
        return expiresAt != null && expiresAt.isAfter(clock.instant());
    }

    /** Whether every record that existed when following started has been read. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** How many revoked tokens are remembered. */
    public int size() {
        return revoked.size();
    }

    /** Applies one record of the topic: a revocation, or a tombstone ({@code value} null). */
    public void apply(String jti, String value) {
        if (jti == null) {
            return;
        }
        if (value == null) {
            revoked.remove(jti);
            return;
        }
        try {
            JsonNode node = JSON.readTree(value);
            Instant expiresAt = Instant.parse(node.path("expiresAt").asText());
            if (expiresAt.isAfter(clock.instant())) {
                revoked.put(jti, expiresAt);
            }
        } catch (Exception e) {
            LOG.warnf("ignored a malformed token revocation record (%s)", e.getClass().getSimpleName());
        }
    }

    /** Forgets revocations of tokens that have expired anyway. */
    public void purgeExpired() {
        Instant now = clock.instant();
        revoked.values().removeIf(expiresAt -> !expiresAt.isAfter(now));
    }

    private void follow() {
        String topic = Topic.TOKEN_REVOCATIONS.topicName();
        Instant nextPurge = clock.instant().plus(PURGE_EVERY);
        Map<TopicPartition, Long> endAtStart = null;
        try {
            while (running) {
                try {
                    if (consumer.assignment().isEmpty()) {
                        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                        if (infos == null || infos.isEmpty()) {
                            sleep(Duration.ofSeconds(1));
                            continue;
                        }
                        List<TopicPartition> partitions = infos.stream()
                                .map(info -> new TopicPartition(topic, info.partition())).toList();
                        consumer.assign(partitions);
                        consumer.seekToBeginning(partitions);
                        endAtStart = consumer.endOffsets(partitions);
                    }
                    for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                        apply(record.key(), record.value());
                    }
                    if (!caughtUp && endAtStart != null && reached(endAtStart)) {
                        caughtUp = true;
                        LOG.infof("following %s: %d revoked token(s) in force", topic, revoked.size());
                    }
                    if (clock.instant().isAfter(nextPurge)) {
                        purgeExpired();
                        nextPurge = clock.instant().plus(PURGE_EVERY);
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (Exception e) {
                    LOG.warnf("reading %s failed (%s); retrying", topic, e.toString());
                    sleep(Duration.ofSeconds(1));
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private boolean reached(Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
            try {
                thread.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
