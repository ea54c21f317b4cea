package org.jupyterhealth.exchange.admin.event;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.Fixtures;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;
import org.jupyterhealth.exchange.common.testing.ContractCheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Changes that readers must see at once are published on admin-events, keyed by the patient. */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class AdminEventsTest {

    private static KafkaConsumer<String, String> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "admin-events-test-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of("admin-events"));
        return consumer;
    }

    @Test
    void consentChangeEnrolmentAndPatientDeletionArePublished() throws Exception {
        long org = Fixtures.organization();
        long study = Fixtures.study(org, 50004);
        long patient = Fixtures.patient(org);
        Fixtures.enrol(study, patient);
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Fixtures.consents(study, "omh:heart-rate:2.0", true))
                .when().post("/api/v1/patients/" + patient + "/consents").then().statusCode(201);
        given().auth().oauth2(Personas.mary())
                .when().delete("/api/v1/patients/" + patient + "?organization_id=" + org).then().statusCode(204);

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.key().equals(Long.toString(patient))) {
                        seen.add(json.readTree(record.value()));
                    }
                }
                return seen.stream().anyMatch(e -> e.get("type").asText().equals("PATIENT_DELETED"));
            });
        }
        assertThat(seen).extracting(e -> e.get("type").asText())
                .contains("MEMBERSHIP_CHANGED", "ENROLMENT_CHANGED", "CONSENT_CHANGED", "PATIENT_DELETED");
        assertThat(seen).filteredOn(e -> e.get("type").asText().equals("CONSENT_CHANGED"))
                .allSatisfy(e -> assertThat(e.get("studyId").asLong()).isEqualTo(study));
        assertThat(seen).allSatisfy(e -> assertThat(e.get("occurredAt").asText()).isNotEmpty());
    }

    @Test
    void aDeletedFhirSourceIsPublishedWithItsPatientSoThatItsResourcesGoToo() throws Exception {
        Number id = given().auth().oauth2(Personas.peter()).contentType(ContentType.JSON)
                .body(Map.of("dataSource", 70005, "label", "to delete"))
                .when().post("/api/v1/fhir_sources").then().statusCode(201).extract().path("id");
        given().auth().oauth2(Personas.peter()).when().delete("/api/v1/fhir_sources/" + id).then().statusCode(204);

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode event = json.readTree(record.value());
                    if (event.path("type").asText().equals("FHIR_SOURCE_DELETED")
                            && event.path("fhirSourceId").asLong() == id.longValue()) {
                        seen.add(event);
                        ContractCheck.assertMessage("AdminEvent", record.value());
                        assertThat(record.key()).isEqualTo("40001");
                    }
                }
                return !seen.isEmpty();
            });
        }
        assertThat(seen.get(0).get("patientId").asLong()).isEqualTo(40001L);
    }
}
