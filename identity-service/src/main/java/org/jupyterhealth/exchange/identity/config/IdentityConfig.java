package org.jupyterhealth.exchange.identity.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Configuration of identity-service. */
@ConfigMapping(prefix = "jhe.identity")
public interface IdentityConfig {

    /**
     * Public base URL of the exchange, as clients see it (the gateway). The token issuer is this URL followed by
     * {@code /o}, and every URL the service publishes (discovery) is built from it, whatever host a request names.
     */
    @WithDefault("http://localhost:8000")
    String publicUrl();

    /**
     * Addresses and CIDR ranges of the proxies whose {@code X-Forwarded-For} is believed (the gateway; an ingress
     * in front of it). A request from any other peer is counted under its TCP address. Loopback by default, for the
     * local run; a deployment names the range its gateway pods or containers get addresses from.
     */
    @WithDefault("127.0.0.0/8,::1")
    List<String> trustedProxies();

    /** Lifetime of access tokens ({@code expires_in}). */
    @WithDefault("36000s")
    Duration accessTokenLifetime();

    /** Lifetime of OpenID Connect ID tokens. */
    @WithDefault("36000s")
    Duration idTokenLifetime();

    /** Lifetime of each refresh token; every use rotates it and starts a new lifetime. */
    @WithDefault("30d")
    Duration refreshTokenLifetime();

    /** Lifetime of the authorization codes of the login page (RFC 6749 §4.1.2 recommends at most 10 minutes). */
    @WithDefault("60s")
    Duration authorizationCodeLifetime();

    /** Longest lifetime admin-service may ask for an invitation code ({@code POST /internal/authorization-codes}). */
    @WithDefault("30d")
    Duration maxInvitationCodeLifetime();

    /** Signing keys. */
    SigningKeys signingKeys();

    /** Password hashing (argon2id). */
    PasswordHashing passwordHashing();

    /** The rules a new password must meet (account activation, reset and change). */
    Password password();

    /** The activation of accounts created without a password (staff created through admin-service). */
    Activation activation();

    /** Browser sign-in sessions of the authorization endpoint. */
    Session session();

    /** Forgotten passwords: the reset links e-mailed by {@code POST /o/forgot}. */
    Reset reset();

    /** The e-mail identity-service sends (reset links) through its outbox. */
    Mail mail();

    /** Passkeys (WebAuthn): sign-in without a password. */
    Passkeys passkeys();

    /** Refusal of repeated failed sign-ins and client authentications. */
    BruteForce bruteForce();

    /** The confidential clients of the exchange's own services, registered at start. */
    ServiceClients serviceClients();

    /**
     * Secret of the web console's client {@code jhe-console} (env {@code JHE_CONSOLE_CLIENT_SECRET}), registered at
     * start ({@code client/ConsoleClientRegistrar}); absent: no console client.
     */
    Optional<String> consoleClientSecret();

    /** The static PKCE pair of the guide's patient invitation links. */
    PatientInvitation patientInvitation();

    /** The EHR launch token exchange (RFC 8693): which EHRs' ID tokens are believed. */
    TokenExchange tokenExchange();

    /** Load the demo users and OAuth clients of the original's seed at start (local run only). */
    @WithDefault("false")
    boolean demoSeed();

    interface SigningKeys {
        /**
         * Folder of PEM-encoded PKCS#8 RSA private keys, one per file, the file name (without {@code .pem}) being
         * the key id. In production it is a mounted Secret.
         */
        @WithDefault(".jhe/keys")
        Path dir();

        /** Create a first key when the folder holds none (local run); production refuses to start instead. */
        @WithDefault("false")
        boolean generateIfMissing();

        /** How often the folder is read again, so that a key added to it is used without a restart. */
        @WithDefault("60s")
        Duration reloadInterval();

        /**
         * How long a new key is only published before it signs, so that every service's cached JWKS knows it
         * before the first token it signs arrives (quarkus-oidc refreshes an unknown key at most every 10 minutes).
         * A key alone in the folder signs at once.
         */
        @WithDefault("15m")
        Duration activationDelay();
    }

    interface PasswordHashing {
        /** argon2id memory cost in KiB (OWASP minimum: 19456). */
        @WithDefault("19456")
        int memoryKib();

        /** argon2id iterations. */
        @WithDefault("2")
        int iterations();

        /** argon2id parallelism. */
        @WithDefault("1")
        int parallelism();

        /**
         * How many hashes (or checks) may run at once; 0 for as many as the JVM has processors. Each holds
         * {@code memory-kib} of memory while it runs, so this bounds the heap that password grants can fill under
         * load; more than the processors would not hash faster, as each hash keeps one busy.
         */
        @WithDefault("0")
        int concurrency();
    }

    interface Password {
        /**
         * The fewest characters (Unicode code points) a new password may have; at least 8 (NIST SP 800-63B §3.1.1.2),
         * at most the policy's maximum of 256.
         */
        @WithDefault("12")
        int minLength();
    }

    interface Session {
        /**
         * How long a browser stays signed in at {@code /o/authorize} after it signed in with its password (env
         * {@code JHE_IDENTITY_SESSION_LIFETIME}); {@code 0s} turns sessions off (every authorization asks again).
         */
        @WithDefault("8h")
        Duration lifetime();
    }

    interface Activation {
        /**
         * How long an activation link works: from {@code POST /internal/accounts/{id}/activation} to the moment the
         * person sets a password with it.
         */
        @WithDefault("P3D")
        Duration lifetime();

        /**
         * Where the "sign in" link of the page that confirms an activation leads (env
         * {@code JHE_IDENTITY_ACTIVATION_SIGN_IN_URL}): the address of the app the staff sign in to. Absent: the
         * public URL.
         */
        Optional<String> signInUrl();
    }

    interface Passkeys {
        /**
         * How long a registration or sign-in challenge can be answered (env {@code JHE_IDENTITY_PASSKEYS_CHALLENGE_LIFETIME});
         * each is used once.
         */
        @WithDefault("2m")
        Duration challengeLifetime();

        /** The name of the exchange that an authenticator shows beside a passkey. */
        @WithDefault("JupyterHealth Exchange")
        String relyingPartyName();
    }

    interface Reset {
        /** How long a reset link works (env {@code JHE_IDENTITY_RESET_LIFETIME}); a new request ends the older ones. */
        @WithDefault("30m")
        Duration lifetime();

        /**
         * The least time {@code POST /o/forgot} takes to answer, whether the address has an account or not, so that
         * the time of the answer does not tell which (the work for a known address stays well below it).
         */
        @WithDefault("1s")
        Duration minResponseTime();

        /**
         * At most this many reset mails go to one account in an hour (env
         * {@code JHE_IDENTITY_RESET_MAX_MAILS_PER_HOUR}); a request beyond them is answered as any other, and sends
         * nothing (the last link sent still works).
         */
        @WithDefault("3")
        int maxMailsPerHour();
    }

    interface Mail {
        /**
         * Whether identity-service sends e-mail at all (env {@code JHE_IDENTITY_MAIL_ENABLED}): when false, a request
         * for a reset link is answered as ever and nothing is sent (an exchange without an SMTP server).
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

    interface BruteForce {
        /** Failed sign-ins for one account (e-mail address) within the window after which it is locked. */
        @WithDefault("5")
        int maxAccountFailures();

        /**
         * Failed credentials (sign-ins and client authentications together) from one client address within the
         * window after which it is locked.
         */
        @WithDefault("20")
        int maxAddressFailures();

        /**
         * Failed client authentications (wrong secret) for one client id, existing or not, within the window after
         * which it is locked. The exchange's own service clients are counted by address only: locking them would let
         * anyone stop the exchange.
         */
        @WithDefault("10")
        int maxClientFailures();

        /** The window in which failures are counted. */
        @WithDefault("15m")
        Duration window();

        /** How long a locked account or address is refused. */
        @WithDefault("15m")
        Duration lockout();
    }

    interface ServiceClients {
        /** Secret of the {@code admin-service} client (env {@code JHE_ADMIN_SERVICE_CLIENT_SECRET}). */
        Optional<String> adminService();

        /** Secret of the {@code fhir-service} client (env {@code JHE_FHIR_SERVICE_CLIENT_SECRET}). */
        Optional<String> fhirService();

        /** Secret of the {@code ingest-service} client (env {@code JHE_INGEST_SERVICE_CLIENT_SECRET}). */
        Optional<String> ingestService();
    }

    interface PatientInvitation {
        /**
         * The static PKCE verifier patient apps send with an invitation code of the guide's flow (env
         * {@code PATIENT_AUTHORIZATION_CODE_VERIFIER}); 43 to 128 characters of RFC 7636 §4.1.
         */
        Optional<String> codeVerifier();

        /**
         * Its S256 challenge (env {@code PATIENT_AUTHORIZATION_CODE_CHALLENGE}); computed from the verifier when
         * absent, and checked against it when both are given.
         */
        Optional<String> codeChallenge();
    }

    interface TokenExchange {
        /**
         * The issuers ({@code iss}) of the EHRs whose ID tokens may be exchanged; a trailing slash does not count.
         * Each one's keys are found the SMART way: its {@code /.well-known/smart-configuration}, else its
         * {@code /.well-known/openid-configuration}, names the {@code jwks_uri}. None: every exchange is refused.
         */
        Optional<List<String>> trustedIssuers();

        /** The {@code aud} the EHR puts in its ID tokens for the exchange (the client id the EHR knows it by). */
        Optional<String> trustedAudience();

        /** How long a request for an EHR's configuration or keys may take before the exchange is refused. */
        @WithDefault("5s")
        Duration fetchTimeout();

        /** How long an EHR's keys are used before they are fetched again (at once when a token names a new key). */
        @WithDefault("10m")
        Duration keysLifetime();

        /** The least time between two fetches of one EHR's keys, so that made-up key ids cannot flood the EHR. */
        @WithDefault("30s")
        Duration minRefetchInterval();

        /** The clock difference allowed when checking {@code exp}, {@code nbf} and {@code iat}. */
        @WithDefault("30s")
        Duration clockSkew();
    }

    /** The {@code iss} claim of every token this service signs. */
    default String issuer() {
        return stripTrailingSlash(publicUrl()) + "/o";
    }

    static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
