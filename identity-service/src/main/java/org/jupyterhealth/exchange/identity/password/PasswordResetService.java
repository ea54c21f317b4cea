package org.jupyterhealth.exchange.identity.password;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.common.mail.MailOutbox;
import org.jupyterhealth.exchange.common.mail.MailRelay;
import org.jupyterhealth.exchange.common.mail.MailTemplates;
import org.jupyterhealth.exchange.common.mail.OutgoingMail;
import org.jupyterhealth.exchange.identity.account.AccountTokenRepository;
import org.jupyterhealth.exchange.identity.account.JheUser;
import org.jupyterhealth.exchange.identity.account.JheUserRepository;
import org.jupyterhealth.exchange.identity.account.LoginFailureRepository;
import org.jupyterhealth.exchange.identity.account.PasswordHasher;
import org.jupyterhealth.exchange.identity.account.PasswordPolicy;
import org.jupyterhealth.exchange.identity.config.IdentityConfig;
import org.jupyterhealth.exchange.identity.login.SignInSessions;
import org.jupyterhealth.exchange.identity.oauth.TokenAudit;
import org.jupyterhealth.exchange.identity.token.AccessTokenRepository;
import org.jupyterhealth.exchange.identity.token.RandomTokens;
import org.jupyterhealth.exchange.identity.token.TokenRevocationService;
import org.jupyterhealth.exchange.identity.web.PublicUrls;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Forgotten passwords: a person asks for a reset link with their e-mail address ({@code POST /o/forgot}), receives
 * it by e-mail, and chooses a new password with it ({@code /o/reset}).
 * <p>
 * The request is answered the same way, after the same least time ({@code jhe.identity.reset.min-response-time}),
 * whether the address has an account or not, so that neither the answer nor its timing tells. Only an active account
 * that has a password gets a link (an account never activated uses its activation link; one that signs in only
 * through an EHR has no password to reset). The link holds a one-time token of 256 random bits, stored as its SHA-256
 * only, that works for {@code jhe.identity.reset.lifetime}, once; a new request ends the account's earlier links. The
 * token and the message that carries it are written in one transaction, the message to identity-service's mail
 * outbox, from which common's {@link MailRelay} sends it with retries. One account gets at most
 * {@code jhe.identity.reset.max-mails-per-hour} such mails in an hour, so that nobody can fill a mailbox by asking;
 * a request beyond them is answered the same way and sends nothing.
 * <p>
 * A new password set with a link ends every session of the account, in the transaction that stores it: whoever knew
 * the old password may hold one. The revocations are published to the other services once it committed.
 */
@ApplicationScoped
public class PasswordResetService {
    private static final Logger LOG = Logger.getLogger(PasswordResetService.class);
    /** The shape of {@link RandomTokens#accountToken()}: anything else is no token of ours, and is not looked up. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final DateTimeFormatter EXPIRY = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'",
            Locale.ENGLISH).withZone(ZoneOffset.UTC);
    static final String MISMATCH = "The two passwords do not match.";

    /** What became of a new password chosen with a reset link. */
    public sealed interface Outcome {
    }

    /** The account now has the password; its sessions ended. */
    public record Reset(JheUser account) implements Outcome {
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

    private record Stored(JheUser account, List<AccessTokenRepository.Revoked> revoked) {
    }

    private final JheUserRepository users;
    private final AccountTokenRepository tokens;
    private final LoginFailureRepository failures;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final TokenRevocationService revocations;
    private final MailOutbox outbox;
    private final MailTemplates templates;
    private final MailRelay relay;
    private final PublicUrls urls;
    private final IdentityConfig config;
    private final Pool pool;
    private final Vertx vertx;

    public PasswordResetService(JheUserRepository users, AccountTokenRepository tokens,
            LoginFailureRepository failures, PasswordPolicy policy, PasswordHasher hasher,
            TokenRevocationService revocations, MailOutbox outbox, MailTemplates templates, MailRelay relay,
            PublicUrls urls, IdentityConfig config, Pool pool, Vertx vertx) {
        this.users = users;
        this.tokens = tokens;
        this.failures = failures;
        this.policy = policy;
        this.hasher = hasher;
        this.revocations = revocations;
        this.outbox = outbox;
        this.templates = templates;
        this.relay = relay;
        this.urls = urls;
        this.config = config;
        this.pool = pool;
        this.vertx = vertx;
    }

    /**
     * Sends a reset link to the account of this address, if there is one that may have it; completes, never failing,
     * no sooner than the configured least response time, whatever happened.
     */
    public Uni<Void> requestReset(String email) {
        long started = System.nanoTime();
        return issue(email)
                .onFailure().recoverWithItem(failure -> {
                    // the person is told what everyone is told: asking again is the remedy, and nothing was queued
                    LOG.warnf("reset link not issued (%s)", failure.getClass().getSimpleName());
                    TokenAudit.resetRequested(null, "failed");
                    return null;
                })
                .chain(() -> waitUntil(started + config.reset().minResponseTime().toNanos()));
    }

    private Uni<Void> issue(String email) {
        return users.findByEmail(email).chain(account -> {
            if (account == null) {
                TokenAudit.resetRequested(null, "no_account");
                return Uni.createFrom().voidItem();
            }
            if (!mayReset(account)) {
                TokenAudit.resetRequested(account.id(), "not_allowed");
                return Uni.createFrom().voidItem();
            }
            if (!config.mail().enabled()) {
                TokenAudit.resetRequested(account.id(), "mail_disabled");
                return Uni.createFrom().voidItem();
            }
            String token = RandomTokens.accountToken();
            Instant expiresAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(config.reset().lifetime());
            // the stored address, not the one typed: the message goes where the account's mail goes
            OutgoingMail mail = templates.render("reset", account.email(), mailData(account, token, expiresAt));
            return pool.withTransaction(tx -> users.lockForUpdate(tx, account.id()).chain(locked -> {
                if (locked == null || !mayReset(locked)) {
                    return Uni.createFrom().item("not_allowed");
                }
                // the account's row is locked: requests for one account count their mails one after the other
                return underCap(tx, locked.id()).chain(under -> !under ? Uni.createFrom().item("mail_capped")
                        : tokens.replace(tx, locked.id(), AccountTokenRepository.Purpose.RESET,
                                RandomTokens.sha256Hex(token), expiresAt)
                                .chain(() -> outbox.insert(tx, mail))
                                .chain(() -> tx.preparedQuery("INSERT INTO identity.reset_mail (user_id) VALUES ($1)")
                                        .execute(Tuple.of(locked.id())))
                                .replaceWith("mail_queued"));
            })).invoke(outcome -> {
                if ("mail_queued".equals(outcome)) {
                    relay.kick();
                }
                TokenAudit.resetRequested(account.id(), outcome);
            }).replaceWithVoid();
        });
    }

    /**
     * Whether the account may receive another reset mail: fewer than {@code jhe.identity.reset.max-mails-per-hour}
     * in the last hour. Its older records are forgotten on the way.
     */
    private Uni<Boolean> underCap(SqlClient tx, long userId) {
        return tx.preparedQuery("DELETE FROM identity.reset_mail WHERE user_id = $1 AND sent_at <= now() - interval "
                + "'1 hour'").execute(Tuple.of(userId))
                .chain(() -> tx.preparedQuery("SELECT count(*) FROM identity.reset_mail WHERE user_id = $1")
                        .execute(Tuple.of(userId)))
                .map(rows -> rows.iterator().next().getLong(0) < config.reset().maxMailsPerHour());
    }

    private static boolean mayReset(JheUser account) {
        return account.active() && account.passwordHash() != null;
    }

    private Map<String, Object> mailData(JheUser account, String token, Instant expiresAt) {
        Map<String, Object> data = new HashMap<>();
        data.put("name", account.firstName() == null || account.firstName().isBlank() ? null : account.firstName());
        data.put("link", urls.reset() + "?token=" + token);
        data.put("expires", EXPIRY.format(expiresAt));
        data.put("forgotUrl", urls.forgotPassword());
        return data;
    }

    /** Completes at {@code deadline} ({@link System#nanoTime()}), or at once when it has passed: a timer, no thread. */
    private Uni<Void> waitUntil(long deadline) {
        long millis = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
        if (millis <= 0) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().emitter(emitter -> vertx.setTimer(millis, id -> emitter.complete(null)));
    }

    /** The account a reset token would act on now; null when the token does not work, whatever the reason. */
    public Uni<JheUser> findReset(String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            return Uni.createFrom().nullItem();
        }
        return tokens.findUsable(RandomTokens.sha256Hex(token), AccountTokenRepository.Purpose.RESET);
    }

    /**
     * Gives the token's account this password and ends all its sessions, if the token works and the policy accepts
     * the password (and its confirmation is equal). A refused password leaves the token as it was. The token is used
     * up by one conditional update in the transaction that stores the password and revokes the tokens, so that of
     * two submissions at the same time exactly one succeeds.
     */
    public Uni<Outcome> resetPassword(String token, String password, String confirmation) {
        return findReset(token).chain(account -> {
            if (account == null) {
                TokenAudit.resetRefused(null, "reset link that does not work");
                return Uni.createFrom().item(new Unusable());
            }
            Optional<String> problem = policy.problem(password, account.email());
            if (problem.isPresent()) {
                TokenAudit.resetRefused(account.id(), "password refused by the policy");
                return Uni.createFrom().item(new Refused(account, "password", problem.get()));
            }
            if (!password.equals(confirmation)) {
                TokenAudit.resetRefused(account.id(), "password confirmation differs");
                return Uni.createFrom().item(new Refused(account, "password_confirmation", MISMATCH));
            }
            // argon2id is deliberately slow: a worker thread, never the event loop
            return vertx.executeBlocking(Uni.createFrom().item(() -> hasher.hash(password)), false)
                    .chain(hash -> pool.withTransaction(tx -> tokens
                            .resetPassword(tx, RandomTokens.sha256Hex(token), hash)
                            .chain(reset -> reset == null ? Uni.createFrom().<Stored>nullItem()
                                    // every browser session ends with the tokens: whoever knew the old password
                                    // is signed out everywhere
                                    : SignInSessions.endAll(tx, reset.id())
                                            .chain(() -> revocations.revokeUser(tx, reset.id()))
                                            .map(revoked -> new Stored(reset, revoked)))))
                    .chain(stored -> {
                        if (stored == null) {
                            // another submission of the same link got there first
                            TokenAudit.resetRefused(account.id(), "reset link used meanwhile");
                            return Uni.createFrom().<Outcome>item(new Unusable());
                        }
                        TokenAudit.passwordReset(stored.account().id(), stored.revoked().size());
                        // failed sign-ins counted against the old password no longer keep the person out
                        return revocations.publishCommitted(stored.revoked())
                                .call(() -> failures.deleteBySubject(
                                        LoginFailureRepository.accountSubject(stored.account().email()))
                                        .onFailure().recoverWithNull())
                                .map(published -> (Outcome) new Reset(stored.account()));
                    });
        });
    }
}
