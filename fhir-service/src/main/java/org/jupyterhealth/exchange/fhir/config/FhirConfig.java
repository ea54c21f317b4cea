package org.jupyterhealth.exchange.fhir.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Configuration of fhir-service ({@code jhe.fhir.*}, env {@code JHE_FHIR_*}); the uploads have their own group,
 * {@code jhe.fhir.upload.*}.
 */
@ConfigMapping(prefix = "jhe.fhir")
public interface FhirConfig {

    /**
     * The public URL of the exchange (the gateway, as clients reach it), without the FHIR base: every absolute URL
     * fhir-service writes (Bundle links, {@code fullUrl}, {@code Location}, {@code Content-Location}, discovery)
     * starts with it. Never taken from a request's {@code Host} or forwarded headers, which any client can forge.
     */
    @WithDefault("http://localhost:8000")
    String publicUrl();

    /** admin-service, for access decisions and records. */
    String adminUrl();

    /** Secret of fhir-service's own OAuth client at identity-service (env JHE_FHIR_SERVICE_CLIENT_SECRET). */
    Optional<String> serviceClientSecret();

    /** The public URL without a trailing slash. */
    default String publicOrigin() {
        String url = publicUrl();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
