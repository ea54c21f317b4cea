package org.jupyterhealth.exchange.ingest.upload;

import java.time.Duration;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Prometheus metrics of the upload path ({@code /q/metrics}): uploads by outcome, entries by status, refused
 * entries by the check that refused them, and processing time. Consumer lag is reported by the Kafka client's own
 * metrics ({@code kafka_consumer_fetch_manager_records_lag*}).
 */
@Singleton
public class UploadMetrics {
    private final MeterRegistry registry;
    private final Timer processing;

    public UploadMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.processing = Timer.builder("jhe.upload.processing")
                .description("Time from consuming an upload to its committed outcome")
                .publishPercentileHistogram()
                .register(registry);
    }

    /** An upload was answered: {@code outcome} is processed, refused, unavailable, failed or replayed. */
    public void upload(String bundleType, String outcome) {
        Counter.builder("jhe.uploads").description("Uploads consumed, by outcome")
                .tag("bundle_type", bundleType == null ? "unknown" : bundleType).tag("outcome", outcome)
                .register(registry).increment();
    }

    public void entry(int status) {
        Counter.builder("jhe.upload.entries").description("Uploaded entries, by HTTP status of their outcome")
                .tag("status", Integer.toString(status)).register(registry).increment();
    }

    public void refused(String reason) {
        Counter.builder("jhe.upload.validation.failures").description("Refused entries, by the check that refused them")
                .tag("reason", reason).register(registry).increment();
    }

    public void deadLettered(String reason) {
        Counter.builder("jhe.upload.dead.letters").description("Upload records sent to the dead-letter topic")
                .tag("reason", reason).register(registry).increment();
    }

    public void processed(Duration duration) {
        processing.record(duration);
    }
}
