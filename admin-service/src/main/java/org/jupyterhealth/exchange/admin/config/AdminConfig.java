package org.jupyterhealth.exchange.admin.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Configuration of admin-service ({@code jhe.admin.*}, env {@code JHE_ADMIN_*}). */
@ConfigMapping(prefix = "jhe.admin")
public interface AdminConfig {

    /** Public base URL of the exchange (the gateway), for invitation links and redirect URIs. */
    @WithDefault("http://localhost:8000")
    String publicUrl();

    /**
     * Whether stored URLs (invitation URLs, study icons) may also be {@code http://localhost[:port]/...} URLs
     * (that name only, never an {@code /internal} path), besides {@code https} URLs of public hosts: for the local
     * run's demo apps only.
     */
    @WithDefault("false")
    boolean allowLocalHttpUrls();

    /** identity-service's base URL for {@code /internal} calls; default: the origin of the JWKS location. */
    Optional<String> identityUrl();

    /** Secret of admin-service's own OAuth client at identity-service (env JHE_ADMIN_SERVICE_CLIENT_SECRET). */
    Optional<String> serviceClientSecret();

    /** How long a call to identity-service may take before the request fails with 503. */
    @WithDefault("10s")
    Duration identityTimeout();

    /** Load the demo data of the original's seed at start (local run only, never in production). */
    @WithDefault("false")
    boolean demoSeed();

    /** Lifetime of a patient invitation (POST /api/v1/invitation) before it expires. */
    @WithDefault("7d")
    Duration invitationExpiration();

    /** How long a redeemed invitation may be redeemed again (the app retrying). */
    @WithDefault("12h")
    Duration invitationRedemptionWindow();

    /** Lifetime of the authorization code a redeemed invitation yields. */
    @WithDefault("60s")
    Duration invitationCodeLifetime();

    /** The guide's invitation link flow: static PKCE verifier the patient apps know. */
    @WithDefault("jhe-patient-invitation-static-code-verifier-0000000000000")
    String patientAuthorizationCodeVerifier();

    /** Lifetime of the guide-style invitation link's authorization code. */
    @WithDefault("14d")
    Duration patientAuthorizationCodeLifetime();

    /** The mail outbox's relay (docs/architecture.md#e-mail); the SMTP server is {@code quarkus.mailer.*}. */
    Mail mail();

    interface Mail {
        /**
         * Whether admin-service sends e-mail at all: when false, nothing is queued and the activation link of a new
         * staff account is in the superuser's answer instead (an exchange without an SMTP server).
         */
        @WithDefault("true")
        boolean enabled();

        /** How often a message is tried before it stays failed in the outbox. */
        @WithDefault("12")
        int maxAttempts();

        /** The wait after the first failed attempt, doubled after each further one. */
        @WithDefault("2s")
        Duration retryInitial();

        /** The longest wait between two attempts. */
        @WithDefault("15m")
        Duration retryMax();
    }
}
