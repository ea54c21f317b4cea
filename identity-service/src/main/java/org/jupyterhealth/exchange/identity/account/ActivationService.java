package org.jupyterhealth.exchange.identity.account;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.identity.config.IdentityConfig;
import org.jupyterhealth.exchange.identity.oauth.TokenAudit;
import org.jupyterhealth.exchange.identity.token.RandomTokens;
import org.jupyterhealth.exchange.identity.web.ConflictException;
import org.jupyterhealth.exchange.identity.web.NotFoundException;
import org.jupyterhealth.exchange.identity.web.PublicUrls;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The activation of accounts created without a password (a superuser creating a practitioner or a user through
 * admin-service): admin-service asks for an activation link and e-mails it (docs/internal-api.md); the person opens
 * it, chooses a password that the {@link PasswordPolicy} accepts, and can then sign in with it.
 * <p>
 * A link holds a one-time token of 256 random bits, stored as its SHA-256 only, that works for
 * {@code jhe.identity.activation.lifetime}, once, and only while the account has no password; a new link for the
 * account ends the earlier ones. Whoever holds a link can set the password, so the token never appears in a log
 * line, a metric or a message, and a link that does not work never says why (unknown, expired or used).
 */
@ApplicationScoped
public class ActivationService {
    private static final Logger LOG = Logger.getLogger(ActivationService.class);
    /** The shape of {@link RandomTokens#accountToken()}: anything else is no token of ours, and is not looked up. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    static final String ALREADY_ACTIVE = "The account is already active.";
    static final String MISMATCH = "The two passwords do not match.";

    /** An activation link, and until when it works. */
    public record ActivationLink(String link, Instant expiresAt) {
    }

    /** What became of a password chosen with an activation link. */
    public sealed interface Outcome {
    }

    /** The account now has the password. */
    public record Activated(JheUser account) implements Outcome {
    }

    /** The link does not work (unknown, expired or used: never said which). */
    public record Unusable() implements Outcome {
    }

    /**
     * The password cannot be used; the link still works.
     *
     * @param field the form field the message is about: {@code password} or {@code password_confirmation}
     */
    public record Refused(JheUser account, String field, String message) implements Outcome {
    }

    private final JheUserRepository users;
    private final AccountTokenRepository tokens;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final PublicUrls urls;
    private final IdentityConfig config;
    private final Pool pool;
    private final Vertx vertx;

    public ActivationService(JheUserRepository users, AccountTokenRepository tokens, PasswordPolicy policy,
            PasswordHasher hasher, PublicUrls urls, IdentityConfig config, Pool pool, Vertx vertx) {
        this.users = users;
        this.tokens = tokens;
        this.policy = policy;
        this.hasher = hasher;
        this.urls = urls;
        this.config = config;
        this.pool = pool;
        this.vertx = vertx;
    }

    /**
     * A new activation link for an account without a password; the account's earlier links stop working. The
     * account's row is locked while the old tokens are ended and the new one stored, so that of two links asked for
     * at the same time only the later one works.
     *
     * @throws NotFoundException when there is no such account
     * @throws ConflictException when the account has a password already
     */
    public Uni<ActivationLink> issueActivation(long userId) {
        String token = RandomTokens.accountToken();
        Instant expiresAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(config.activation().lifetime());
        return pool.withTransaction(tx -> users.lockForUpdate(tx, userId).chain(account -> {
            if (account == null) {
                throw new NotFoundException();
            }
            if (account.passwordHash() != null) {
                throw new ConflictException(ALREADY_ACTIVE);
            }
            return tokens.replace(tx, userId, AccountTokenRepository.Purpose.ACTIVATION,
                    RandomTokens.sha256Hex(token), expiresAt);
        })).map(stored -> {
            TokenAudit.activationIssued(userId);
            return new ActivationLink(urls.activation() + "?token=" + token, expiresAt);
        });
    }

    /** The account an activation token would activate now; null when the token does not work, whatever the reason. */
    public Uni<JheUser> findActivation(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return Uni.createFrom().nullItem();
        }
        return tokens.findUsable(RandomTokens.sha256Hex(token), AccountTokenRepository.Purpose.ACTIVATION);
    }

    /**
     * Gives the token's account this password, if the token works and the policy accepts the password (and its
     * confirmation is equal). A refused password leaves the token as it was. The token is used up by one
     * conditional update, so that of two submissions at the same time exactly one activates the account.
     */
    public Uni<Outcome> activate(String token, String password, String confirmation) {
        return findActivation(token).chain(account -> {
            if (account == null) {
                TokenAudit.activationRefused(null, "activation link that does not work");
                return Uni.createFrom().item(new Unusable());
            }
            Optional<String> problem = policy.problem(password, account.email());
            if (problem.isPresent()) {
                TokenAudit.activationRefused(account.id(), "password refused by the policy");
                return Uni.createFrom().item(new Refused(account, "password", problem.get()));
            }
            if (!password.equals(confirmation)) {
                TokenAudit.activationRefused(account.id(), "password confirmation differs");
                return Uni.createFrom().item(new Refused(account, "password_confirmation", MISMATCH));
            }
            // argon2id is deliberately slow: a worker thread, never the event loop
            return vertx.executeBlocking(Uni.createFrom().item(() -> hasher.hash(password)), false)
                    .chain(hash -> tokens.activate(RandomTokens.sha256Hex(token), hash))
                    .map(activated -> {
                        if (activated == null) {
                            // another submission of the same link got there first
                            TokenAudit.activationRefused(account.id(), "activation link used meanwhile");
                            return new Unusable();
                        }
                        TokenAudit.activated(activated.id());
                        return new Activated(activated);
                    });
        });
    }

    /** Forgets expired tokens, used or not: they can do nothing any more. */
    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetExpired() {
        return tokens.deleteExpired(Instant.now())
                .invoke(count -> LOG.debugf("forgot %d expired account token(s)", count))
                .replaceWithVoid();
    }
}
