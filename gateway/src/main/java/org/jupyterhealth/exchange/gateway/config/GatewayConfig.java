package org.jupyterhealth.exchange.gateway.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Configuration of the gateway: where the services listen and the limits applied to every request. The largest
 * request body is the exchange's one setting {@code jhe.max-body-size}, shared with the services.
 */
@ConfigMapping(prefix = "jhe.gateway")
public interface GatewayConfig {

    /** Base URL of identity-service (OAuth 2.0 / OIDC, paths {@code /o/**}). */
    @WithDefault("http://127.0.0.1:8081")
    String identityUrl();

    /** Base URL of admin-service ({@code /api/v1/**} and the OpenAPI documents). */
    @WithDefault("http://127.0.0.1:8082")
    String adminUrl();

    /** Base URL of fhir-service ({@code /fhir/r5/**}, {@code /FHIR/R5/**}, {@code /api/v1/observations**}). */
    @WithDefault("http://127.0.0.1:8083")
    String fhirUrl();

    /** Base URL of the console (the web pages at {@code /} and {@code /console/**}). */
    @WithDefault("http://127.0.0.1:8085")
    String consoleUrl();

    /** Time allowed to open a connection to a service before answering 503. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** Time a service may stay silent while a request is under way before the gateway answers 504. */
    @WithDefault("60s")
    Duration upstreamTimeout();

    /** Connections kept open to each service. */
    @WithDefault("64")
    int maxConnectionsPerService();

    /** Per-client rate limiting. */
    RateLimit rateLimit();

    interface RateLimit {
        /**
         * Sustained requests per second allowed to one client on every path but the sign-in and token endpoints
         * (generous: normal use never meets it); 0 turns rate limiting off altogether.
         */
        @WithDefault("1000")
        int requestsPerSecond();

        /** Requests a client may send at once above the sustained rate. */
        @WithDefault("2000")
        int burst();

        /**
         * The endpoints where credentials are tried ({@code /o/token}, {@code /o/authorize}, {@code /o/introspect},
         * {@code /o/revoke_token}, {@code /o/activate}, {@code /o/password}, {@code /o/forgot}, {@code /o/reset},
         * {@code /o/passkeys} and
         * {@code POST /api/v1/invitation/{token}}): a budget of their own per client, far below the general one, so
         * that guessing passwords, client secrets, activation, reset or invitation tokens is slow, and so is asking
         * for reset e-mails.
         */
        Auth auth();
    }

    interface Auth {
        /**
         * Sustained requests per second allowed to one client on those endpoints; 0 counts them with the other
         * paths instead. A person signs in with three requests; a client refreshes its token a few times an hour.
         */
        @WithDefault("5")
        int requestsPerSecond();

        /** Requests a client may send at once to those endpoints above the sustained rate. */
        @WithDefault("20")
        int burst();
    }

    /**
     * The gateway sits behind a trusted load balancer or ingress that sets {@code X-Forwarded-For},
     * {@code X-Forwarded-Host} and {@code X-Forwarded-Proto}: keep them (clients are then told apart by the first
     * forwarded address). Otherwise the gateway sets them itself from the connection, whatever a client sent.
     */
    @WithDefault("false")
    boolean trustForwardedHeaders();
}
