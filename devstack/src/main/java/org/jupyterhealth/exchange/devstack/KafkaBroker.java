package org.jupyterhealth.exchange.devstack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The configuration of a stack's Kafka broker: one KRaft node, broker and controller at once, on 127.0.0.1 only,
 * every internal topic with a single replica, and no topic created by a client by accident (the topics are those of
 * {@code Topic}, created by {@link DevStack#topics}). The broker itself runs as {@code kafka.Kafka} from this
 * module's classpath, with {@code kafka-log4j2.properties}.
 */
final class KafkaBroker {
    /** The cluster id of every local broker: its data folder belongs to one stack only. */
    static final String CLUSTER_ID = "abcdefghijklmnopqrstuv";

    private KafkaBroker() {
    }

    static Map<String, String> serverProperties(Stack stack, Path dataDir) {
        String broker = "127.0.0.1:" + stack.kafkaPort();
        String controller = "127.0.0.1:" + stack.kafkaControllerPort();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", "1");
        properties.put("controller.quorum.voters", "1@" + controller);
        properties.put("listeners", "PLAINTEXT://" + broker + ",CONTROLLER://" + controller);
        properties.put("advertised.listeners", "PLAINTEXT://" + broker);
        properties.put("controller.listener.names", "CONTROLLER");
        properties.put("inter.broker.listener.name", "PLAINTEXT");
        properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        properties.put("log.dirs", dataDir.toString());
        properties.put("num.partitions", "1");
        properties.put("auto.create.topics.enable", "false");
        properties.put("offsets.topic.replication.factor", "1");
        properties.put("offsets.topic.num.partitions", "10");
        properties.put("transaction.state.log.replication.factor", "1");
        properties.put("transaction.state.log.min.isr", "1");
        properties.put("transaction.state.log.num.partitions", "5");
        properties.put("share.coordinator.state.topic.replication.factor", "1");
        properties.put("share.coordinator.state.topic.min.isr", "1");
        // a consumer group of a service that starts alone is served at once, not after the default 3 s
        properties.put("group.initial.rebalance.delay.ms", "0");
        // the default 128 MiB buffer of the log cleaner, for compacted topics of a few records
        properties.put("log.cleaner.dedupe.buffer.size", "16777216");
        return properties;
    }

    /** The properties as a {@code server.properties} file: one {@code key=value} a line, in order. */
    static String serverPropertiesFile(Stack stack, Path dataDir) {
        return serverProperties(stack, dataDir).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
    }
}
