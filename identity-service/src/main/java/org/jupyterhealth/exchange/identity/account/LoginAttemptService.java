package org.jupyterhealth.exchange.identity.account;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.identity.config.IdentityConfig;
import org.jupyterhealth.exchange.identity.passkey.PasskeyService;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Signs people in with e-mail and password, and refuses password guessing: after repeated failures for one
 * account (whether or not it exists, so that refusals reveal nothing) or from one address within a window,
 * further attempts are refused for a while, even with the right password; a successful sign-in resets the
 * account's count. The counts live in the database, shared by every replica.
 */
@ApplicationScoped
public class LoginAttemptService {

    /** The outcome of a sign-in: the account, or why not. */
    public sealed interface Outcome {
    }

    public record SignedIn(JheUser user) implements Outcome {
    }

    public record BadCredentials() implements Outcome {
    }

    public record Locked(Duration retryAfter) implements Outcome {
    }

    /**
     * The password is right, but the account signs in with a passkey only (it requires one, and has one): said only
     * after the right password, so that it tells nothing to whoever does not know it.
     */
    public record PasskeyRequired(JheUser user) implements Outcome {
    }

    /** What a person is told when the password is right but the account signs in only with a passkey. */
    public static final String PASSKEY_REQUIRED = "This account signs in with a passkey only. Use your passkey.";

    private final JheUserRepository users;
    private final PasswordHasher hasher;
    private final LoginFailureRepository failures;
    private final IdentityConfig.BruteForce rules;
    private final Vertx vertx;
    private final PasskeyService passkeys;

    public LoginAttemptService(JheUserRepository users, PasswordHasher hasher, LoginFailureRepository failures,
            IdentityConfig config, Vertx vertx, PasskeyService passkeys) {
        this.users = users;
        this.passkeys = passkeys;
        this.hasher = hasher;
        this.failures = failures;
        this.rules = config.bruteForce();
        this.vertx = vertx;
    }

    /** Checks the credentials unless the account or the address is locked; counts the failures. */
    public Uni<Outcome> signIn(String email, String password, String address) {
        return attempt(email, () -> users.findByEmail(email), password, address, true);
    }

    /**
     * Checks the current password of a signed-in account before it is changed: the same locks, counts and reset as a
     * sign-in, so that the check cannot be used to guess passwords either. It is not recorded as a new sign-in.
     */
    public Uni<Outcome> confirmPassword(JheUser user, String password, String address) {
        return attempt(user.email(), () -> Uni.createFrom().item(user), password, address, false);
    }

    private Uni<Outcome> attempt(String email, Supplier<Uni<JheUser>> lookup, String password, String address,
            boolean signIn) {
        String account = LoginFailureRepository.accountSubject(email);
        String origin = LoginFailureRepository.addressSubject(address);
        return failures.findLockedUntil(List.of(account, origin)).chain(lockedUntil -> {
            if (lockedUntil != null) {
                return Uni.createFrom().item(new Locked(LoginFailureRepository.retryAfter(lockedUntil)));
            }
            return lookup.get()
                    // argon2id is deliberately slow: a worker thread, never the event loop
                    .chain(user -> vertx.executeBlocking(Uni.createFrom().item(() -> check(user, password)), false))
                    .chain(user -> {
                        if (user == null) {
                            return failures.recordFailures(List.of(
                                    new LoginFailureRepository.Threshold(account, rules.maxAccountFailures(),
                                            rules.window(), rules.lockout()),
                                    new LoginFailureRepository.Threshold(origin, rules.maxAddressFailures(),
                                            rules.window(), rules.lockout())))
                                    .replaceWith(new BadCredentials());
                        }
                        Uni<Void> reset = failures.deleteBySubject(account);
                        if (!signIn) {
                            return reset.replaceWith(new SignedIn(user));
                        }
                        return reset.chain(() -> passkeys.passwordRefused(user.id())).chain(refused -> refused
                                ? Uni.createFrom().<Outcome>item(new PasskeyRequired(user))
                                : users.recordLogin(user.id()).replaceWith(new SignedIn(user)));
                    });
        });
    }

    /**
     * Signs in with a passkey's answer to a sign-in challenge, under the same locks and counts as a password: a
     * locked address is refused before anything is checked, a locked account once its passkey names it (and before
     * the answer is verified); a refused answer counts against the address, and against the account when a
     * registered passkey of it was presented; a success resets the account's count.
     */
    public Uni<Outcome> passkeySignIn(PasskeyService.Assertion assertion, String address) {
        String origin = LoginFailureRepository.addressSubject(address);
        return failures.findLockedUntil(List.of(origin)).chain(lockedUntil -> {
            if (lockedUntil != null) {
                return Uni.createFrom().item(new Locked(LoginFailureRepository.retryAfter(lockedUntil)));
            }
            return passkeys.authenticate(assertion, user -> failures
                    .findLockedUntil(List.of(LoginFailureRepository.accountSubject(user.email())))
                    .invoke(until -> {
                        if (until != null) {
                            throw new AccountLocked(LoginFailureRepository.retryAfter(until));
                        }
                    }).replaceWithVoid())
                    .chain(user -> failures.deleteBySubject(LoginFailureRepository.accountSubject(user.email()))
                            .replaceWith((Outcome) new SignedIn(user)))
                    .onFailure(AccountLocked.class)
                    .recoverWithItem(locked -> new Locked(((AccountLocked) locked).retryAfter))
                    .onFailure(PasskeyService.Refused.class).recoverWithUni(failure -> {
                        PasskeyService.Refused refused = (PasskeyService.Refused) failure;
                        List<LoginFailureRepository.Threshold> thresholds = new ArrayList<>();
                        thresholds.add(new LoginFailureRepository.Threshold(origin, rules.maxAddressFailures(),
                                rules.window(), rules.lockout()));
                        if (refused.account() != null) {
                            thresholds.add(new LoginFailureRepository.Threshold(
                                    LoginFailureRepository.accountSubject(refused.account().email()),
                                    rules.maxAccountFailures(), rules.window(), rules.lockout()));
                        }
                        return failures.recordFailures(thresholds)
                                .replaceWith((Outcome) new PasskeyRefused(refused.getMessage()));
                    });
        });
    }

    /** A passkey that did not sign in: the message for the person (the same whatever the reason). */
    public record PasskeyRefused(String message) implements Outcome {
    }

    /** The passkey's account is locked: the sign-in ends before its answer is verified. */
    private static final class AccountLocked extends RuntimeException {
        private final Duration retryAfter;

        AccountLocked(Duration retryAfter) {
            super(null, null, false, false);
            this.retryAfter = retryAfter;
        }
    }

    /** Forgets failure counts that no longer matter. */
    @Scheduled(every = "10m", delayed = "2m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetStaleFailures() {
        return failures.deleteStale(rules.window()).replaceWithVoid();
    }

    /** The user when the password matches an active account; null otherwise, in constant work either way. */
    private JheUser check(JheUser user, String password) {
        boolean matches = hasher.matches(password, user == null ? null : user.passwordHash());
        return matches && user.active() ? user : null;
    }
}
