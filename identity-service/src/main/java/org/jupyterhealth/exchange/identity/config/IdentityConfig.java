package org.jupyterhealth.exchange.identity.config;

import java.nio.file.Path;
import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Configuration of identity-service. */
@ConfigMapping(prefix = "jhe.identity")
public interface IdentityConfig {

    /**
     * Public base URL of the exchange, as clients see it (the gateway). The token issuer is this URL followed by
     * {@code /o}; the discovery documents are built from it unless the gateway forwards another host.
     */
    @WithDefault("http://localhost:8000")
    String publicUrl();

    /** Lifetime of access tokens ({@code expires_in}). */
    @WithDefault("36000s")
    Duration accessTokenLifetime();

    /** Signing keys. */
    SigningKeys signingKeys();

    /** Password hashing (argon2id). */
    PasswordHashing passwordHashing();

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
    }

    /** The {@code iss} claim of every token this service signs. */
    default String issuer() {
        return stripTrailingSlash(publicUrl()) + "/o";
    }

    static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
