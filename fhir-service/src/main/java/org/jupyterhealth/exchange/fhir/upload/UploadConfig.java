package org.jupyterhealth.exchange.fhir.upload;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of observation uploads ({@code jhe.fhir.upload.*}, env {@code JHE_FHIR_UPLOAD_*}). */
@ConfigMapping(prefix = "jhe.fhir.upload")
public interface UploadConfig {

    /** Most entries accepted in one Bundle; more is a 413. */
    @WithDefault("1000")
    int maxEntries();

    /** Largest request body accepted; more is a 413. */
    @WithDefault("20M")
    MemorySize maxBodySize();

    /**
     * How long a synchronous upload waits for its outcome; past it the client gets 202 with the status URL, and
     * the upload completes anyway.
     */
    @WithDefault("30s")
    Duration responseTimeout();

    /** How long to wait for the broker to take an upload before answering 503. */
    @WithDefault("5s")
    Duration sendTimeout();
}
