package org.jupyterhealth.exchange.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class SecretPathMetricsTest {

    @Test
    void aRequestLabelledByItsRawPathIsRegisteredWithoutItsToken() {
        MeterRegistry registry = new SimpleMeterRegistry();
        registry.config().meterFilter(new SecretPathMetrics());

        registry.timer("http.server.requests", "method", "POST", "uri",
                "/api/v1/invitation/Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z", "status", "RESET").record(Duration.ZERO);
        registry.timer("http.server.requests", "method", "GET", "uri", "/api/v1/patients/{id}", "status", "200")
                .record(Duration.ZERO);

        assertThat(registry.getMeters()).map(Meter::getId).map(id -> id.getTag("uri"))
                .containsExactlyInAnyOrder("/api/v1/invitation/{token}", "/api/v1/patients/{id}");
        assertThat(registry.getMeters()).map(Meter::getId).map(id -> id.getTag("status"))
                .containsExactlyInAnyOrder("RESET", "200");
    }
}
