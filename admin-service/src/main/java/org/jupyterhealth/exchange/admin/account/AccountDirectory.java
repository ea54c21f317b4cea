package org.jupyterhealth.exchange.admin.account;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.admin.account.IdentityClient.AccountRecord;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.web.AdminException;
import org.jupyterhealth.exchange.admin.web.AdminException.ConflictException;
import org.jupyterhealth.exchange.admin.web.AdminException.UnavailableException;
import org.jupyterhealth.exchange.admin.web.Errors;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Accounts live in identity-service; admin-service creates or finds them there and keeps a read model of those it
 * knows (e-mail, names, type) so that lists need no call per row.
 */
@ApplicationScoped
public class AccountDirectory {
    private static final Logger LOG = Logger.getLogger(AccountDirectory.class);
    /** identity-service's 409 to an activation, passed on in its words (docs/internal-api.md). */
    public static final String ALREADY_ACTIVE = "The account is already active.";
    private static final String UPSERT = "INSERT INTO account (id, email, first_name, last_name, user_type, is_superuser) "
            + "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, "
            + "first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, user_type = EXCLUDED.user_type, "
            + "is_superuser = EXCLUDED.is_superuser, last_updated = now()";

    private final Db db;
    private final IdentityClient identity;

    public AccountDirectory(Db db, IdentityClient identity) {
        this.db = db;
        this.identity = identity;
    }

    /** The account with this id, from the read model or else from identity-service; null if it does not exist. */
    public Uni<Account> find(long id) {
        return db.one("SELECT * FROM account WHERE id = $1", Account::from, id)
                .flatMap(known -> known != null ? Uni.createFrom().item(known)
                        : identity.account(id)
                                .onFailure(this::isNotFound).recoverWithNull()
                                .onFailure(this::isNotAnswer).transform(this::unavailable)
                                .flatMap(found -> found == null ? Uni.createFrom().nullItem() : remember(found)));
    }

    /**
     * The account, after checking that an e-mail address a request names for it is its own (case aside): the
     * address is the account's sign-in name, kept by identity-service, which offers no way to change it, so a
     * request naming another one is refused rather than answered as if it had been applied. A null {@code email}
     * (not given) passes; an account that does not exist is a 404.
     */
    public Uni<Account> requireOwnEmail(long id, String email, String field) {
        return find(id).invoke(account -> {
            if (account == null) {
                throw Errors.notFound("user");
            }
            if (email != null && !email.equalsIgnoreCase(account.email())) {
                throw Errors.unchangeable(field, "e-mail address");
            }
        });
    }

    /** The account with this e-mail, from the read model only (null if admin-service does not know it). */
    public Uni<Account> findKnownByEmail(String email) {
        return db.one("SELECT * FROM account WHERE lower(email) = lower($1)", Account::from, email);
    }

    /**
     * Runs {@code work} with the account of this e-mail, found in identity-service or created there, and
     * remembered here. A write that spans both services is all-or-nothing as its caller sees it: when anything
     * after identity-service's answer fails (remembering the account, the caller's transaction, its events), an
     * account this call created is deleted again, so that a refused or failed request leaves no login behind. An
     * account that existed before the request (identity-service answers 200 rather than 201) is never deleted.
     * Callers validate everything they can before calling this, so that only an unforeseeable failure needs undoing.
     */
    public <T> Uni<T> withAccount(String email, String firstName, String lastName, String userType,
            Function<Account, Uni<T>> work) {
        return withAccount(email, firstName, lastName, userType, (account, created) -> work.apply(account));
    }

    /**
     * As {@link #withAccount(String, String, String, String, Function)}, telling {@code work} whether this call
     * created the account (a new account is the one that needs activating); a failure of {@code work} (its call to
     * identity-service included) undoes the creation the same way.
     */
    public <T> Uni<T> withAccount(String email, String firstName, String lastName, String userType,
            BiFunction<Account, Boolean, Uni<T>> work) {
        return identity.findOrCreateAccount(new IdentityClient.NewAccount(email, firstName, lastName, userType))
                .onFailure(this::isNotAnswer).transform(this::unavailable)
                .onFailure(WebApplicationException.class).transform(e -> Errors.invalid(
                        "identity-service refused the account: " + status(e) + "."))
                .flatMap(response -> {
                    AccountRecord found = response.getEntity();
                    boolean created = response.getStatus() == 201;
                    Uni<T> rest = typed(found, userType).flatMap(this::remember)
                            .flatMap(account -> work.apply(account, created));
                    if (!created) {
                        return rest;
                    }
                    return rest.onFailure().call(failure -> forgetCreated(found.id()));
                });
    }

    /** An existing account without a type gets the one the request gives it (a patient record makes a patient). */
    private Uni<AccountRecord> typed(AccountRecord found, String userType) {
        if (userType != null && found.userType() == null) {
            return identity.updateAccount(found.id(), new IdentityClient.AccountChange(null, null, userType))
                    .onFailure(this::isNotAnswer).transform(this::unavailable);
        }
        return Uni.createFrom().item(found);
    }

    /**
     * Undoes the creation of an account by a request that then failed, unless a record here already refers to it
     * (another request for the same e-mail found it meanwhile and used it), and identity-service deletes it only
     * if nothing there can have used it either (409 otherwise: it stays). A failure to undo is logged with the
     * account's id and does not hide the request's own failure.
     */
    private Uni<Void> forgetCreated(long id) {
        return db.one("SELECT EXISTS (SELECT 1 FROM patient WHERE jhe_user_id = $1) "
                + "OR EXISTS (SELECT 1 FROM practitioner WHERE jhe_user_id = $1)", row -> row.getBoolean(0), id)
                .flatMap(used -> used ? Uni.createFrom().voidItem() : identity.deleteUnusedAccount(id, true)
                        .onFailure(this::isNotFound).recoverWithNull()
                        .onFailure(this::isInUse).recoverWithNull()
                        .chain(() -> db.query("DELETE FROM account WHERE id = $1", id)).replaceWithVoid())
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("could not delete account %d, created by a request that failed: %s", id, e.toString());
                    return Uni.createFrom().voidItem();
                });
    }

    /**
     * A new activation link of an account created without a password (docs/internal-api.md); identity-service
     * invalidates the account's earlier ones. 404 when identity-service knows no such account, 409 when the account
     * already has a password (activation is over; its owner uses "forgot password"), 503 when it gives no answer.
     * The link is a credential: it is neither logged nor quoted in an error.
     */
    public Uni<Activation> issueActivation(long id) {
        return identity.issueActivation(id)
                .invoke(issued -> {
                    if (issued == null || issued.link() == null || issued.expiresAt() == null) {
                        throw new IllegalStateException("an activation answer without its link or expiry");
                    }
                })
                .onFailure(this::isNotFound).transform(e -> Errors.notFound("user"))
                .onFailure(this::isInUse).transform(e -> new ConflictException(ALREADY_ACTIVE))
                .onFailure(e -> !(e instanceof AdminException)).transform(e -> {
                    // the kind of failure only: a message quoting what identity-service sent could hold the link
                    LOG.warnf("identity-service did not issue an activation link: %s", e.getClass().getSimpleName());
                    return new UnavailableException(IdentityClient.UNAVAILABLE);
                })
                .map(issued -> new Activation(issued.link(), issued.expiresAt()));
    }

    /** Changes names in identity-service and in the read model. */
    public Uni<Account> rename(long id, String firstName, String lastName) {
        return identity.updateAccount(id, new IdentityClient.AccountChange(firstName, lastName, null))
                .onFailure(this::isNotFound).transform(e -> Errors.notFound("user"))
                .onFailure(this::isNotAnswer).transform(this::unavailable)
                .flatMap(this::remember);
    }

    /**
     * Deletes the account in identity-service (which revokes its tokens and clients) and forgets it, within the
     * caller's transaction and before it commits: when identity-service cannot delete it, the caller's deletions
     * are rolled back with the 503, and a retry finds everything as it was. (Should the commit itself fail after
     * the account is gone, a retry finishes the job: identity-service's 404 counts as done.)
     */
    public Uni<Void> delete(SqlClient tx, long id) {
        return identity.deleteAccount(id)
                .onFailure(this::isNotFound).recoverWithNull()
                .onFailure(this::isNotAnswer).transform(this::unavailable)
                .chain(() -> Db.update(tx, "DELETE FROM account WHERE id = $1", id)).replaceWithVoid();
    }

    /** The most accounts one call to identity-service names (it takes up to 10,000). */
    static final int PASSKEY_REQUIREMENTS_PER_CALL = 1000;

    /**
     * Tells identity-service which of these accounts an organization requires to sign in with a passkey
     * ({@code required}) and which no longer ({@code notRequired}). Called inside the caller's transaction before it
     * commits, as {@link #delete} is: when identity-service gives no answer the caller's change is rolled back with
     * the 503, and a retry finds everything as it was. The call is idempotent, so a commit that fails after it leaves
     * nothing a retry does not set right. Nothing to say, no call.
     */
    public Uni<Void> setPasskeyRequirements(List<Long> required, List<Long> notRequired) {
        if (required.isEmpty() && notRequired.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (required.size() + notRequired.size() > PASSKEY_REQUIREMENTS_PER_CALL) {
            int half = Math.min(required.size(), PASSKEY_REQUIREMENTS_PER_CALL);
            int rest = Math.min(notRequired.size(), PASSKEY_REQUIREMENTS_PER_CALL - half);
            return setPasskeyRequirements(required.subList(0, half), notRequired.subList(0, rest))
                    .chain(() -> setPasskeyRequirements(required.subList(half, required.size()),
                            notRequired.subList(rest, notRequired.size())));
        }
        return identity.setPasskeyRequirements(new IdentityClient.PasskeyRequirements("organization",
                List.copyOf(required), List.copyOf(notRequired)))
                .onFailure(e -> !(e instanceof AdminException)).transform(e -> {
                    LOG.warnf("identity-service did not record passkey requirements: %s", e.toString());
                    return new UnavailableException(IdentityClient.UNAVAILABLE);
                });
    }

    /** Stores what identity-service said about an account. */
    public Uni<Account> remember(AccountRecord record) {
        return remember(db.client(), record);
    }

    public Uni<Account> remember(SqlClient client, AccountRecord record) {
        Account account = new Account(record.id(), record.email(), nz(record.firstName()), nz(record.lastName()),
                record.userType(), record.isSuperuser());
        return Db.update(client, UPSERT, account.id(), account.email(), account.firstName(), account.lastName(),
                account.userType(), account.superuser()).replaceWith(account);
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }

    private boolean isNotFound(Throwable e) {
        return e instanceof WebApplicationException w && w.getResponse().getStatus() == 404;
    }

    private boolean isInUse(Throwable e) {
        return e instanceof WebApplicationException w && w.getResponse().getStatus() == 409;
    }

    /** Anything but a definite answer from identity-service: unreachable, timing out or failing (5xx). */
    private boolean isNotAnswer(Throwable e) {
        if (e instanceof AdminException) {
            return false;
        }
        if (e instanceof WebApplicationException w) {
            return w.getResponse().getStatus() >= 500 || w.getResponse().getStatus() == 401
                    || w.getResponse().getStatus() == 403;
        }
        return true;
    }

    private static int status(Throwable e) {
        return e instanceof WebApplicationException w ? w.getResponse().getStatus() : 0;
    }

    private UnavailableException unavailable(Throwable e) {
        LOG.warnf("identity-service did not answer: %s", e.toString());
        return new UnavailableException("The account service is unavailable; try again later.");
    }
}
