package org.jupyterhealth.exchange.identity.password;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.identity.account.JheUser;
import org.jupyterhealth.exchange.identity.account.JheUserRepository;
import org.jupyterhealth.exchange.identity.account.LoginAttemptService;
import org.jupyterhealth.exchange.identity.account.PasswordHasher;
import org.jupyterhealth.exchange.identity.account.PasswordPolicy;
import org.jupyterhealth.exchange.identity.client.OAuthClientRepository;
import org.jupyterhealth.exchange.identity.login.SignInSessions;
import org.jupyterhealth.exchange.identity.oauth.TokenAudit;
import org.jupyterhealth.exchange.identity.token.AccessTokenRepository;
import org.jupyterhealth.exchange.identity.token.AccessTokenVerifier;
import org.jupyterhealth.exchange.identity.token.TokenRevocationService;
import org.jupyterhealth.exchange.identity.web.ConflictException;
import org.jupyterhealth.exchange.identity.web.TooManyAttemptsException;
import org.jupyterhealth.exchange.identity.web.ValidationException;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * A signed-in person changes their own password: they confirm the current one (checked like a sign-in, with the
 * same failure counts and locks, so that a stolen access token cannot be used to guess it), the {@link PasswordPolicy}
 * judges the new one, and every other session of the account ends: its other access tokens are revoked (and the
 * revocation published to the other services) and so are its refresh tokens, except the grant the caller's access
 * token was issued in, so that the device the change was made on stays signed in.
 * <p>
 * Only a person's own session may change a password: a service token and a practitioner's automation client (a
 * client-credentials token that acts as its owner) are refused, and an account without a password (one that signs in
 * only through an EHR or has never been activated) has nothing to confirm.
 */
@ApplicationScoped
public class PasswordChangeService {
    static final String REQUIRED = "This field is required.";
    static final String WRONG_PASSWORD = "Invalid credentials given.";
    static final String SAME_PASSWORD = "Your new password must differ from your current password.";
    static final String NO_PASSWORD = "The account has no password to change; use its activation link.";
    static final String CHANGED_MEANWHILE = "The password was changed meanwhile; sign in again.";

    private final JheUserRepository users;
    private final OAuthClientRepository clients;
    private final LoginAttemptService logins;
    private final PasswordPolicy policy;
    private final PasswordHasher hasher;
    private final TokenRevocationService revocations;
    private final Vertx vertx;
    private final Pool pool;

    public PasswordChangeService(JheUserRepository users, OAuthClientRepository clients, LoginAttemptService logins,
            PasswordPolicy policy, PasswordHasher hasher, TokenRevocationService revocations, Vertx vertx,
            Pool pool) {
        this.users = users;
        this.clients = clients;
        this.logins = logins;
        this.policy = policy;
        this.hasher = hasher;
        this.revocations = revocations;
        this.vertx = vertx;
        this.pool = pool;
    }

    /**
     * Changes the password of the account the caller's access token belongs to.
     *
     * @param caller the caller's verified access token
     * @param address the caller's address, counted with sign-ins when the current password is wrong
     * @throws ForbiddenException for a token that is not a person's session
     * @throws UnauthorizedException when the account no longer exists or is inactive
     * @throws ConflictException when the account has no password
     * @throws ValidationException for a missing field, a new password the policy refuses or equal to the current
     *         one, a wrong current password
     * @throws TooManyAttemptsException while the account or the address is locked after failed attempts
     */
    public Uni<Void> changePassword(AccessTokenVerifier.Verified caller, String currentPassword, String newPassword,
            String address) {
        AccessTokenRepository.Status session = caller.status();
        if (caller.isServiceToken() || session.userId() == null) {
            TokenAudit.passwordChangeRefused(null, "token without a user");
            throw new ForbiddenException();
        }
        long userId = session.userId();
        if (currentPassword == null || currentPassword.isEmpty()) {
            throw refused(userId, "currentPassword", REQUIRED, "current password missing");
        }
        if (newPassword == null || newPassword.isEmpty()) {
            throw refused(userId, "newPassword", REQUIRED, "new password missing");
        }
        if (newPassword.equals(currentPassword)) {
            throw refused(userId, "newPassword", SAME_PASSWORD, "new password equals the current one");
        }
        return Uni.combine().all().unis(users.findById(userId), clients.findById(session.clientPk())).asTuple()
                .chain(found -> {
                    JheUser account = found.getItem1();
                    if (account == null || !account.active()) {
                        TokenAudit.passwordChangeRefused(userId, "account gone or inactive");
                        throw new UnauthorizedException();
                    }
                    Long owner = found.getItem2() == null ? null : found.getItem2().ownerUserId();
                    if (session.familyId() == null && owner != null) {
                        // a client-credentials token of the person's automation client: no person typed anything
                        TokenAudit.passwordChangeRefused(userId, "client credentials token");
                        throw new ForbiddenException();
                    }
                    if (account.passwordHash() == null) {
                        TokenAudit.passwordChangeRefused(userId, "account without a password");
                        throw new ConflictException(NO_PASSWORD);
                    }
                    Optional<String> problem = policy.problem(newPassword, account.email());
                    if (problem.isPresent()) {
                        throw refused(userId, "newPassword", problem.get(), "new password refused by the policy");
                    }
                    return confirmed(account, currentPassword, address)
                            .chain(() -> replace(account, newPassword, caller.jti(), session.familyId()))
                            .call(revocations::publishCommitted)
                            .invoke(revoked -> TokenAudit.passwordChanged(userId, revoked.size()))
                            .replaceWithVoid();
                });
    }

    private Uni<Void> confirmed(JheUser account, String currentPassword, String address) {
        return logins.confirmPassword(account, currentPassword, address).map(outcome -> {
            if (outcome instanceof LoginAttemptService.Locked locked) {
                TokenAudit.passwordChangeRefused(account.id(), "locked after failed attempts");
                throw new TooManyAttemptsException(locked.retryAfter());
            }
            if (!(outcome instanceof LoginAttemptService.SignedIn)) {
                throw refused(account.id(), "currentPassword", WRONG_PASSWORD, "wrong current password");
            }
            return null;
        });
    }

    /**
     * Stores the new password and revokes the account's other sessions in one transaction: a password changed while
     * the old sessions live on, or sessions ended for a password that did not change, is never seen.
     *
     * @return the access tokens revoked, for publication once committed
     */
    private Uni<List<AccessTokenRepository.Revoked>> replace(JheUser account, String newPassword, UUID keptJti,
            UUID keptFamilyId) {
        // argon2id is deliberately slow: a worker thread, never the event loop
        return vertx.executeBlocking(Uni.createFrom().item(() -> hasher.hash(newPassword)), false)
                .chain(hash -> pool.withTransaction(tx -> users.changePassword(tx, account.id(),
                        account.passwordHash(), hash)
                        .chain(changed -> {
                            if (!changed) {
                                TokenAudit.passwordChangeRefused(account.id(), "password changed meanwhile");
                                throw new ConflictException(CHANGED_MEANWHILE);
                            }
                            // the browsers signed in with the old password sign in again
                            return SignInSessions.endAll(tx, account.id()).chain(() -> revocations
                                    .revokeUserExceptSession(tx, account.id(), keptJti, keptFamilyId));
                        })));
    }

    private static ValidationException refused(long userId, String field, String message, String reason) {
        TokenAudit.passwordChangeRefused(userId, reason);
        return new ValidationException(field, message);
    }
}
