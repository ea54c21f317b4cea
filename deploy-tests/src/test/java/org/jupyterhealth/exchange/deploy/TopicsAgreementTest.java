package org.jupyterhealth.exchange.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.kafka.Topic;

import com.fasterxml.jackson.databind.JsonNode;

/** The topics created in Kubernetes (Strimzi) and by docker compose are exactly those of common's {@link Topic}. */
class TopicsAgreementTest {

    /**
     * name, partitions, clean-up policy, retention in ms, largest record batch (empty for the broker's default):
     * the facts a topic is created with.
     */
    record TopicFacts(String name, int partitions, String cleanupPolicy, String retentionMs, String maxMessageBytes) {
        static TopicFacts of(Topic topic) {
            return new TopicFacts(topic.topicName(), topic.partitions(), topic.configs().get("cleanup.policy"),
                    topic.configs().get("retention.ms"), topic.configs().getOrDefault("max.message.bytes", ""));
        }
    }

    private static final List<TopicFacts> EXPECTED = Arrays.stream(Topic.values()).map(TopicFacts::of).toList();

    @Test
    void strimziKafkaTopicsMatchTheTopicsOfTheExchange() {
        List<JsonNode> topics = Manifests.ofKind(Kustomize.overlay("local"), "KafkaTopic");

        List<TopicFacts> actual = topics.stream().map(t -> new TopicFacts(
                Manifests.name(t),
                t.path("spec").path("partitions").asInt(),
                t.path("spec").path("config").path("cleanup.policy").asText(),
                t.path("spec").path("config").path("retention.ms").asText(),
                t.path("spec").path("config").path("max.message.bytes").asText())).toList();

        assertThat(actual).containsExactlyInAnyOrderElementsOf(EXPECTED);
        assertThat(topics).allSatisfy(t -> assertThat(t.path("metadata").path("labels").path("strimzi.io/cluster")
                .asText()).isEqualTo(Manifests.name(Manifests.ofKind(Kustomize.overlay("local"), "Kafka").get(0))));
    }

    @Test
    void composeCreatesTheTopicsOfTheExchange() {
        String script = Repository.read(Repository.root().resolve("deploy/compose/kafka-topics.sh"));
        Matcher line = Pattern.compile("(?m)^topic (\\S+) (\\d+) (\\S+) (\\d+)(?: (\\d+))?$").matcher(script);

        List<TopicFacts> actual = line.results()
                .map(m -> new TopicFacts(m.group(1), Integer.parseInt(m.group(2)), m.group(3), m.group(4),
                        m.group(5) == null ? "" : m.group(5)))
                .toList();

        assertThat(actual).containsExactlyInAnyOrderElementsOf(EXPECTED);
    }

    @Test
    void theBrokerCreatesNoTopicOnItsOwn() {
        JsonNode kafka = Manifests.ofKind(Kustomize.overlay("local"), "Kafka").get(0);
        Map<String, String> compose = Manifests.YAML.convertValue(
                ComposeFile.read().path("services").path("kafka").path("environment"), Map.class);

        assertThat(kafka.path("spec").path("kafka").path("config").path("auto.create.topics.enable").asText())
                .isEqualTo("false");
        assertThat(compose).containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
    }

    static String describe(List<TopicFacts> topics) {
        return topics.stream().map(TopicFacts::toString).collect(Collectors.joining("\n"));
    }
}
