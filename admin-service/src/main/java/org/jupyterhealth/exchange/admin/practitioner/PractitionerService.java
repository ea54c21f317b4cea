package org.jupyterhealth.exchange.admin.practitioner;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.account.Account;
import org.jupyterhealth.exchange.admin.account.AccountDirectory;
import org.jupyterhealth.exchange.admin.account.Activation;
import org.jupyterhealth.exchange.admin.account.ActivationMail;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.event.Events;
import org.jupyterhealth.exchange.admin.organization.OrganizationRepository;
import org.jupyterhealth.exchange.admin.organization.OrganizationResponse;
import org.jupyterhealth.exchange.admin.organization.StaffPasskeys;
import org.jupyterhealth.exchange.admin.security.Caller;
import org.jupyterhealth.exchange.admin.security.Permissions;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;
import org.jupyterhealth.exchange.admin.web.TextRules;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Practitioners (docs/compatibility.md#practitioners): superusers only. */
@ApplicationScoped
public class PractitionerService {
    private final Db db;
    private final PractitionerRepository practitioners;
    private final OrganizationRepository organizations;
    private final AccountDirectory accounts;
    private final Events events;
    private final ActivationMail activationMail;
    private final StaffPasskeys staffPasskeys;

    public PractitionerService(Db db, PractitionerRepository practitioners, OrganizationRepository organizations,
            AccountDirectory accounts, Events events, ActivationMail activationMail, StaffPasskeys staffPasskeys) {
        this.db = db;
        this.practitioners = practitioners;
        this.organizations = organizations;
        this.accounts = accounts;
        this.events = events;
        this.activationMail = activationMail;
        this.staffPasskeys = staffPasskeys;
    }

    public Uni<Page<PractitionerResponse>> listPractitioners(Caller caller, PageRequest page) {
        return Permissions.requireSuperuser(caller).chain(practitioners::count).flatMap(count -> {
            PageRequest resolved = page.resolve(count);
            return practitioners.listIds(resolved.offset(), resolved.limit()).flatMap(practitioners::listByIds)
                    .map(rows -> resolved.page(count, rows));
        });
    }

    public Uni<PractitionerResponse> practitioner(Caller caller, long id) {
        return Permissions.requireSuperuser(caller).chain(() -> find(id));
    }

    private Uni<PractitionerResponse> find(long id) {
        return practitioners.findById(id).invoke(p -> {
            if (p == null) {
                throw Errors.notFound("Practitioner");
            }
        });
    }

    /**
     * A practitioner with a new account (or the practitioner record of an account identity-service knows), a member
     * of {@code organizationId} when given. Everything is judged before the account is created; a failure after it
     * undoes a new account. A new account is also given an activation link by identity-service, e-mailed to the
     * practitioner in the transaction that records it (or, with e-mail off, returned in the answer): identity-service
     * unable to issue it is a 503 with nothing recorded and the account undone. An existing account is left alone.
     */
    public Uni<PractitionerResponse> createPractitioner(Caller caller, PractitionerRequest request) {
        String email = request.telecomEmail();
        Long organizationId = request.organizationId();
        return Permissions.requireSuperuser(caller).chain(() -> {
            if (email == null || email.isBlank()) {
                return Uni.createFrom().failure(Errors.invalid("telecomEmail",
                        "Email is required to create a practitioner."));
            }
            if (!TextRules.isEmail(email.trim())) {
                return Uni.createFrom().failure(Errors.invalid("telecomEmail", "Enter a valid email address."));
            }
            Uni<OrganizationResponse> organization = organizationId == null ? Uni.createFrom().nullItem()
                    : organizations.findById(organizationId, null, true);
            return organization.invoke(found -> {
                if (organizationId != null && found == null) {
                    throw Errors.invalid("organizationId", "Organization not found.");
                }
            }).chain(found -> accounts.withAccount(email.trim(), request.nameGiven(), request.nameFamily(),
                    "practitioner", (account, created) -> db.inTransaction(tx -> practitioners
                            .upsert(tx, account.id(), request.nameFamily(), request.nameGiven())
                            .call(id -> join(tx, id, organizationId, account.id()))
                            // the link is asked for once the record is written, so that a record that cannot be
                            // stored leaves identity-service an account nothing was issued for, which it can undo
                            .flatMap(id -> activationOf(account, created)
                                    .call(activation -> activation == null ? Uni.createFrom().voidItem()
                                            : activationMail.queue(tx, account.email(), account.firstName(),
                                                    found == null ? null : found.name(), activation))
                                    .map(activation -> new Created(id, activation))))));
        }).flatMap(created -> find(created.id())
                .map(p -> p.withActivation(created.activation(), activationMail.byMail())));
    }

    /** A practitioner record just written, and the activation of its account if this request created it. */
    private record Created(long id, Activation activation) {
    }

    /** A new account's activation link; none for an account that existed before the request. */
    private Uni<Activation> activationOf(Account account, boolean created) {
        return created ? accounts.issueActivation(account.id()) : Uni.createFrom().nullItem();
    }

    /**
     * Sends the practitioner a new activation link (superusers): identity-service issues it, which invalidates the
     * earlier ones, and it is e-mailed in the name of the practitioner's first organization (or, with e-mail off,
     * returned). 404 unknown practitioner (or account), 409 when the account already has a password, 503 when
     * identity-service gives no answer.
     */
    public Uni<ActivationResponse> resendActivation(Caller caller, long id) {
        return Permissions.requireSuperuser(caller).chain(() -> find(id))
                .flatMap(p -> accounts.find(p.jheUserId()).flatMap(account -> {
                    if (account == null) {
                        return Uni.createFrom().failure(Errors.notFound("user"));
                    }
                    String organization = p.organizations().isEmpty() ? null : p.organizations().get(0).name();
                    return accounts.issueActivation(account.id())
                            .call(activation -> !activationMail.byMail() ? Uni.createFrom().voidItem()
                                    : db.inTransaction(tx -> activationMail.queue(tx, account.email(),
                                            account.firstName(), organization, activation)))
                            .map(activation -> ActivationResponse.of(activation, activationMail.byMail()));
                }));
    }

    /** Makes the practitioner a member of the organization (if it is not already one of its practitioners). */
    private Uni<Void> join(SqlClient tx, long practitionerId, Long organizationId, long userId) {
        if (organizationId == null) {
            return Uni.createFrom().voidItem();
        }
        return organizations.insertMemberIfAbsent(tx, practitionerId, organizationId, Permissions.MEMBER)
                .chain(n -> n == 0 ? Uni.createFrom().voidItem()
                        : events.practitionerMembershipChanged(tx, organizationId, userId)
                                .call(() -> staffPasskeys.membershipChanged(tx, organizationId, practitionerId)));
    }

    /** {@code PUT}: as a {@code PATCH}, the e-mail being required. */
    public Uni<PractitionerResponse> replacePractitioner(Caller caller, long id, PractitionerReplacement request) {
        return updatePractitioner(caller, id, request.telecomEmail(), request.nameFamily(), request.nameGiven(),
                request.organizationId());
    }

    public Uni<PractitionerResponse> patchPractitioner(Caller caller, long id, PractitionerPatch patch) {
        return updatePractitioner(caller, id, patch.telecomEmail(), patch.nameFamily(), patch.nameGiven(),
                patch.organizationId());
    }

    /**
     * Changes the names and, with {@code organizationId}, adds a membership as a create does: one of no organization
     * is a 404, and nothing is changed. An e-mail must be the practitioner's own (its account's sign-in name, which
     * is not changed here).
     */
    private Uni<PractitionerResponse> updatePractitioner(Caller caller, long id, String email, String nameFamily,
            String nameGiven, Long organizationId) {
        return Permissions.requireSuperuser(caller).chain(() -> find(id))
                .call(p -> email == null ? Uni.createFrom().voidItem()
                        : accounts.requireOwnEmail(p.jheUserId(), email.trim(), "telecomEmail"))
                .call(p -> organizationId == null ? Uni.createFrom().voidItem()
                        : organizations.exists(db.client(), organizationId).invoke(exists -> {
                            if (!exists) {
                                throw Errors.notFound("Organization");
                            }
                        }))
                .call(p -> db.inTransaction(tx -> practitioners.updateNames(tx, id, nameFamily, nameGiven)
                        .chain(() -> join(tx, id, organizationId, p.jheUserId()))))
                .chain(() -> find(id));
    }

    /**
     * Deletes the practitioner, and its account unless it is an administrator's or a patient's, in one transaction
     * that commits only once identity-service has deleted the account.
     */
    public Uni<Void> deletePractitioner(Caller caller, long id) {
        return Permissions.requireSuperuser(caller).chain(() -> find(id)).flatMap(p -> db.inTransaction(tx -> practitioners
                .delete(tx, id)
                .chain(() -> practitioners.isAccountKept(tx, p.jheUserId()))
                .flatMap(keep -> keep ? Uni.createFrom().voidItem() : accounts.delete(tx, p.jheUserId()))));
    }
}
