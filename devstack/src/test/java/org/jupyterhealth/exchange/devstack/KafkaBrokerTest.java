package org.jupyterhealth.exchange.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

    @Test
    void brokerAndControllerListenOnTheStacksTwoPortsOnly() {
        Map<String, String> properties = KafkaBroker.serverProperties(Stack.of("systest", 3000), Path.of("/data"));

        assertThat(properties).containsEntry("listeners",
                "PLAINTEXT://127.0.0.1:32092,CONTROLLER://127.0.0.1:32093")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:32092")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:32093")
                .containsEntry("process.roles", "broker,controller")
                .containsEntry("log.dirs", "/data");
    }

    @Test
    void topicsAreNeverCreatedByAccidentAndInternalTopicsHaveOneReplica() {
        Map<String, String> properties = KafkaBroker.serverProperties(Stack.of("dev", 0), Path.of("/data"));

        assertThat(properties).containsEntry("auto.create.topics.enable", "false")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("share.coordinator.state.topic.replication.factor", "1");
    }

    @Test
    void theFileReadsBackAsTheSameProperties() throws IOException {
        Stack unit = Stack.of("unit", 0);
        Properties read = new Properties();
        read.load(new StringReader(KafkaBroker.serverPropertiesFile(unit, Path.of("/tmp/kafka data"))));

        assertThat(read).containsAllEntriesOf(KafkaBroker.serverProperties(unit, Path.of("/tmp/kafka data")));
        assertThat(read.getProperty("listeners")).contains("127.0.0.1:19092");
    }
}
