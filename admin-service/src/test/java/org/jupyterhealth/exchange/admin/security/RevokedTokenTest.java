package org.jupyterhealth.exchange.admin.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.common.testing.TestTokens;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A token revoked by identity-service (a record on token-revocations) is refused within 5 seconds. */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class RevokedTokenTest {

    @Test
    void aRevokedTokenIsRefusedWithin5SecondsWhileOthersStillWork() throws Exception {
        String revoked = TestTokens.practitioner(10002, "manager_mary@example.com");
        String other = TestTokens.practitioner(10002, "manager_mary@example.com");
        given().auth().oauth2(revoked).when().get("/api/v1/users/profile").then().statusCode(200);

        publishRevocation(jti(revoked));

        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                given().auth().oauth2(revoked).when().get("/api/v1/users/profile")
                        .then().statusCode(401)
                        .body("detail", equalTo("Authentication credentials were not provided.")));
        given().auth().oauth2(other).when().get("/api/v1/users/profile").then().statusCode(200);
    }

    static String jti(String jwt) throws Exception {
        byte[] payload = Base64.getUrlDecoder().decode(jwt.split("\\.")[1]);
        return new ObjectMapper().readTree(new String(payload, StandardCharsets.UTF_8)).get("jti").asText();
    }

    static void publishRevocation(String jti) throws Exception {
        Properties properties = new Properties();
        properties.put("bootstrap.servers",
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        properties.put("key.serializer", StringSerializer.class.getName());
        properties.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
            String value = "{\"jti\":\"" + jti + "\",\"expiresAt\":\"" + Instant.now().plusSeconds(3600) + "\"}";
            producer.send(new ProducerRecord<>("token-revocations", jti, value)).get();
        }
    }
}
