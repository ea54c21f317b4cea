package org.jupyterhealth.exchange.identity.code;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.identity.client.OAuthClient;
import org.jupyterhealth.exchange.identity.config.IdentityConfig;
import org.jupyterhealth.exchange.identity.token.RandomTokens;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Issues authorization codes: from the login page ({@code /o/authorize}) and for patient invitations (both flows
 * of docs/compatibility.md#invitations, through {@code POST /internal/authorization-codes}). A code is 30 random
 * letters and digits (the original's shape), stored as its SHA-256, single use, bound to its client, PKCE S256
 * challenge and, when one was given, redirect URI.
 */
@ApplicationScoped
public class AuthorizationCodeService {
    private static final Logger LOG = Logger.getLogger(AuthorizationCodeService.class);
    static final int CODE_LENGTH = 30;

    /** A code issued, with when it expires. */
    public record IssuedCode(String code, Instant expiresAt) {
    }

    private final AuthorizationCodeRepository codes;
    private final IdentityConfig config;

    public AuthorizationCodeService(AuthorizationCodeRepository codes, IdentityConfig config) {
        this.codes = codes;
        this.config = config;
    }

    /** A code of the login page, valid {@code jhe.identity.authorization-code-lifetime} (60 s by default). */
    public Uni<IssuedCode> issueCode(OAuthClient client, long userId, String redirectUri, String scope,
            String codeChallenge, String nonce) {
        return issueCode(client, userId, redirectUri, scope, codeChallenge, nonce, config.authorizationCodeLifetime());
    }

    public Uni<IssuedCode> issueCode(OAuthClient client, long userId, String redirectUri, String scope,
            String codeChallenge, String nonce, Duration lifetime) {
        String code = RandomTokens.alphanumeric(CODE_LENGTH);
        Instant expiresAt = Instant.now().plus(lifetime);
        return codes.insert(RandomTokens.sha256Hex(code), client.id(), userId, redirectUri, scope, codeChallenge, nonce,
                UUID.randomUUID(), expiresAt)
                .replaceWith(new IssuedCode(code, expiresAt));
    }

    /** Forgets codes expired for a day (a reused code within that day still revokes what it issued). */
    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetExpired() {
        return codes.deleteExpired(Instant.now().minus(Duration.ofDays(1)))
                .invoke(count -> LOG.debugf("forgot %d expired authorization code(s)", count))
                .replaceWithVoid();
    }
}
