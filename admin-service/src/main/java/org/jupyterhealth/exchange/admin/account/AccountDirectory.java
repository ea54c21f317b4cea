package org.jupyterhealth.exchange.admin.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.admin.account.IdentityClient.AccountRecord;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.web.AdminException;
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

    /** The account with this e-mail, from the read model only (null if admin-service does not know it). */
    public Uni<Account> findKnownByEmail(String email) {
        return db.one("SELECT * FROM account WHERE lower(email) = lower($1)", Account::from, email);
    }

    /** Creates the account in identity-service, or finds it by e-mail, and remembers it. */
    public Uni<Account> findOrCreate(String email, String firstName, String lastName, String userType) {
        return identity.findOrCreateAccount(new IdentityClient.NewAccount(email, firstName, lastName, userType))
                .onFailure(this::isNotAnswer).transform(this::unavailable)
                .onFailure(WebApplicationException.class).transform(e -> Errors.invalid(
                        "identity-service refused the account: " + status(e) + "."))
                .flatMap(found -> {
                    if (userType != null && found.userType() == null) {
                        return identity.updateAccount(found.id(), new IdentityClient.AccountChange(null, null, userType))
                                .onFailure(this::isNotAnswer).transform(this::unavailable);
                    }
                    return Uni.createFrom().item(found);
                })
                .flatMap(this::remember);
    }

    /** Changes names in identity-service and in the read model. */
    public Uni<Account> rename(long id, String firstName, String lastName) {
        return identity.updateAccount(id, new IdentityClient.AccountChange(firstName, lastName, null))
                .onFailure(this::isNotFound).transform(e -> Errors.notFound("user"))
                .onFailure(this::isNotAnswer).transform(this::unavailable)
                .flatMap(this::remember);
    }

    /** Deletes the account in identity-service (which revokes its tokens and clients), then forgets it. */
    public Uni<Void> delete(long id) {
        return identity.deleteAccount(id)
                .onFailure(this::isNotFound).recoverWithNull()
                .onFailure(this::isNotAnswer).transform(this::unavailable)
                .chain(() -> db.query("DELETE FROM account WHERE id = $1", id)).replaceWithVoid();
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
