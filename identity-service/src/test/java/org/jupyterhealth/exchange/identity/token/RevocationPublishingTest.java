package org.jupyterhealth.exchange.identity.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jupyterhealth.exchange.identity.support.Tokens.form;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.identity.support.IdentityFixtures;
import org.jupyterhealth.exchange.identity.support.Tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** A revoked access token reaches the compacted topic token-revocations, keyed by jti (docs/internal-api.md). */
@QuarkusTest
class RevocationPublishingTest {

    @Inject
    IdentityFixtures fixtures;

    @Test
    void aRevokedAccessTokenIsPublishedWithItsExpiry() throws Exception {
        fixtures.practitioner("publish.test@example.com", true);
        fixtures.publicClient("publish-app", "password refresh_token");
        JsonPath tokens = Tokens.password("publish-app", "publish.test@example.com");
        JsonPath claims = Tokens.claims(tokens.getString("access_token"));
        String jti = claims.getString("jti");

        try (KafkaConsumer<String, String> consumer = consumerAtEnd()) {
            form().formParam("client_id", "publish-app").formParam("token", tokens.getString("access_token"))
                    .when().post("/o/revoke_token/").then().statusCode(200);

            JsonNode value = awaitRecord(consumer, jti, Duration.ofSeconds(30));
            assertThat(value.get("jti").asText()).isEqualTo(jti);
            assertThat(Instant.parse(value.get("expiresAt").asText()).getEpochSecond())
                    .isEqualTo(claims.getLong("exp"));
        }
    }

    @Test
    void reusingARefreshTokenPublishesTheFamilysAccessTokens() throws Exception {
        fixtures.practitioner("publish.reuse@example.com", true);
        fixtures.publicClient("publish-app", "password refresh_token");
        JsonPath tokens = Tokens.password("publish-app", "publish.reuse@example.com");
        String jti = Tokens.claims(tokens.getString("access_token")).getString("jti");
        form().formParam("grant_type", "refresh_token").formParam("client_id", "publish-app")
                .formParam("refresh_token", tokens.getString("refresh_token"))
                .when().post("/o/token/").then().statusCode(200);

        try (KafkaConsumer<String, String> consumer = consumerAtEnd()) {
            form().formParam("grant_type", "refresh_token").formParam("client_id", "publish-app")
                    .formParam("refresh_token", tokens.getString("refresh_token"))
                    .when().post("/o/token/").then().statusCode(400);

            assertThat(awaitRecord(consumer, jti, Duration.ofSeconds(30)).get("jti").asText()).isEqualTo(jti);
        }
    }

    @Test
    void revokingARefreshTokenPublishesTheAccessTokensOfItsGrant() throws Exception {
        fixtures.practitioner("publish.grant@example.com", true);
        fixtures.publicClient("publish-app", "password refresh_token");
        JsonPath tokens = Tokens.password("publish-app", "publish.grant@example.com");
        String jti = Tokens.claims(tokens.getString("access_token")).getString("jti");

        try (KafkaConsumer<String, String> consumer = consumerAtEnd()) {
            form().formParam("client_id", "publish-app").formParam("token", tokens.getString("refresh_token"))
                    .when().post("/o/revoke_token/").then().statusCode(200);

            assertThat(awaitRecord(consumer, jti, Duration.ofSeconds(30)).get("jti").asText()).isEqualTo(jti);
        }
    }

    @Test
    void revokingAnAccessTokenPublishesEveryAccessTokenOfItsGrant() throws Exception {
        fixtures.practitioner("publish.session@example.com", true);
        fixtures.publicClient("publish-app", "password refresh_token");
        JsonPath first = Tokens.password("publish-app", "publish.session@example.com");
        String refreshedAccess = form().formParam("grant_type", "refresh_token").formParam("client_id", "publish-app")
                .formParam("refresh_token", first.getString("refresh_token"))
                .when().post("/o/token/").then().statusCode(200).extract().path("access_token");
        String jti = Tokens.claims(refreshedAccess).getString("jti");

        try (KafkaConsumer<String, String> consumer = consumerAtEnd()) {
            form().formParam("client_id", "publish-app").formParam("token", first.getString("access_token"))
                    .when().post("/o/revoke_token/").then().statusCode(200);

            assertThat(awaitRecord(consumer, jti, Duration.ofSeconds(30)).get("jti").asText()).isEqualTo(jti);
        }
    }

    private static KafkaConsumer<String, String> consumerAtEnd() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers",
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        properties.put("key.deserializer", StringDeserializer.class.getName());
        properties.put("value.deserializer", StringDeserializer.class.getName());
        properties.put("enable.auto.commit", "false");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties);
        List<TopicPartition> partitions = consumer.partitionsFor("token-revocations").stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    private static JsonNode awaitRecord(KafkaConsumer<String, String> consumer, String jti, Duration within)
            throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        ObjectMapper json = new ObjectMapper();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                if (jti.equals(record.key())) {
                    return json.readTree(record.value());
                }
            }
        }
        throw new AssertionError("no revocation of " + jti + " on token-revocations within " + within);
    }
}
