package org.jupyterhealth.exchange.common.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jupyterhealth.exchange.common.kafka.Topic;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Revokes a token as identity-service does: a record on {@code token-revocations}, on the test's Kafka broker. */
public final class TestRevocations {
    private TestRevocations() {
    }

    /** The {@code jti} claim of a signed token. */
    public static String jti(String jwt) throws Exception {
        byte[] payload = Base64.getUrlDecoder().decode(jwt.split("\\.")[1]);
        return new ObjectMapper().readTree(new String(payload, StandardCharsets.UTF_8)).get("jti").asText();
    }

    /** Publishes the revocation of the token and waits until the broker has it. */
    public static void revoke(String jwt) throws Exception {
        String jti = jti(jwt);
        Properties properties = new Properties();
        properties.put("bootstrap.servers",
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        properties.put("key.serializer", StringSerializer.class.getName());
        properties.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
            String value = "{\"jti\":\"" + jti + "\",\"expiresAt\":\"" + Instant.now().plusSeconds(3600) + "\"}";
            producer.send(new ProducerRecord<>(Topic.TOKEN_REVOCATIONS.topicName(), jti, value)).get();
        }
    }
}
