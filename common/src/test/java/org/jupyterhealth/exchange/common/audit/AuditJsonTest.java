package org.jupyterhealth.exchange.common.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class AuditJsonTest {

    @Test
    void canonicalTextIsOrderedAndReadsBackToTheSameEvent() {
        AuditEvent event = new AuditEvent(UUID.fromString("6f0c1a52-3a54-4c55-9a3c-0d3a4c9c3e11"),
                Instant.parse("2026-12-06T04:00:00Z"), "fhir-service", "search", "success", 200, 10001L,
                "practitioner", "demo-app", "Observation", List.of(), "patient=40001&code=x", 3, List.of(40001L),
                "req-1", "10.0.0.7");
        String text = AuditJson.write(event);
        assertThat(text).isEqualTo("{\"action\":\"search\",\"clientAddress\":\"10.0.0.7\",\"clientId\":\"demo-app\","
                + "\"count\":3,\"id\":\"6f0c1a52-3a54-4c55-9a3c-0d3a4c9c3e11\",\"outcome\":\"success\","
                + "\"patientIds\":[40001],\"query\":\"patient=40001&code=x\",\"recorded\":\"2026-12-06T04:00:00.000Z\","
                + "\"requestId\":\"req-1\",\"resourceIds\":[],\"resourceType\":\"Observation\","
                + "\"role\":\"practitioner\",\"service\":\"fhir-service\",\"status\":200,\"userId\":10001}");
        assertThat(AuditJson.read(text)).isEqualTo(event);
        assertThat(AuditJson.write(AuditJson.read(text))).isEqualTo(text);
    }

    @Test
    void textsAreEscapedAsJsonAndReadBackUnchanged() {
        // the stored text and its hash depend on every byte: quotes and backslashes escaped, anything else as is
        AuditEvent event = new AuditEvent(UUID.fromString("6f0c1a52-3a54-4c55-9a3c-0d3a4c9c3e11"),
                Instant.parse("2026-12-06T04:00:00.123456Z"), "fhir-service", "read", "refused", 403, null, null,
                "app \"quoted\" \\ back/slash", "Observation", List.of("a\"b", "\u00e9\uD83D\uDE00\u2028"), null,
                null, List.of(), null, null);
        String text = AuditJson.write(event);
        assertThat(text).isEqualTo("{\"action\":\"read\",\"clientId\":\"app \\\"quoted\\\" \\\\ back/slash\","
                + "\"id\":\"6f0c1a52-3a54-4c55-9a3c-0d3a4c9c3e11\",\"outcome\":\"refused\",\"patientIds\":[],"
                + "\"recorded\":\"2026-12-06T04:00:00.123Z\",\"resourceIds\":[\"a\\\"b\",\"\u00e9\uD83D\uDE00\u2028\"],"
                + "\"resourceType\":\"Observation\",\"service\":\"fhir-service\",\"status\":403}");
        assertThat(AuditJson.read(text).resourceIds()).containsExactly("a\"b", "\u00e9\uD83D\uDE00\u2028");
        assertThat(AuditJson.write(AuditJson.read(text))).isEqualTo(text);
    }

    @Test
    void aSearchIsRecordedWithoutAnyParameterThatCouldBeACredential() {
        AuditEvent event = AuditEvent.of(AuditAction.SEARCH)
                .search("patient=1&access_token=eyJhbGciOi.x.y&code=a%7Cb&client_secret=s3&Token=t&_count=5", 5)
                .build();
        assertThat(event.query()).isEqualTo("patient=1&code=a%7Cb&_count=5");
        assertThat(AuditEvent.of(AuditAction.SEARCH).search("access_token=abc", 0).build().query()).isNull();
        assertThat(AuditEvent.of(AuditAction.SEARCH).search("a=\u0007b", 0).build().query()).isEqualTo("a=b");
    }

    @Test
    void theKeyIsTheFirstPatientOrNoPatient() {
        assertThat(AuditEvent.of(AuditAction.READ).patients(List.of(7L, 3L)).build().key()).isEqualTo("7");
        assertThat(AuditEvent.of(AuditAction.LOGIN).build().key()).isEqualTo(AuditEvent.NO_PATIENT_KEY);
        assertThat(AuditEvent.of(AuditAction.READ).status(403).build().outcome()).isEqualTo(AuditEvent.REFUSED);
        assertThat(AuditEvent.of(AuditAction.READ).status(503).build().outcome()).isEqualTo(AuditEvent.FAILED);
    }

    @Test
    void aValueThatIsNotAnEventIsRefusedByName() {
        assertThatThrownBy(() -> AuditJson.read("{\"id\":\"x\"}")).isInstanceOf(IllegalArgumentException.class);
        String good = AuditJson.write(AuditEvent.of(AuditAction.READ).service("fhir-service").build());
        assertThatThrownBy(() -> AuditJson.read(good.replace("\"read\"", "\"peek\"")))
                .hasMessage("unknown action");
        assertThatThrownBy(() -> AuditJson.read(good.replace("\"fhir-service\"", "\"a\\u0000b\"")))
                .hasMessageContaining("service");
    }

    @Test
    void theChainHashCoversThePreviousHashAndTheText() {
        byte[] first = AuditChain.hash(AuditChain.GENESIS, "{\"a\":1}");
        assertThat(first).hasSize(32);
        assertThat(AuditChain.hash(first, "{\"a\":1}")).isNotEqualTo(first);
        assertThat(AuditChain.hash(AuditChain.GENESIS, "{\"a\":2}")).isNotEqualTo(first);
    }
}
