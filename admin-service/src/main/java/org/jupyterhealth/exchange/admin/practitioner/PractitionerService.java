package org.jupyterhealth.exchange.admin.practitioner;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.account.AccountDirectory;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.event.Events;
import org.jupyterhealth.exchange.admin.organization.OrganizationRepository;
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

    public PractitionerService(Db db, PractitionerRepository practitioners, OrganizationRepository organizations,
            AccountDirectory accounts, Events events) {
        this.db = db;
        this.practitioners = practitioners;
        this.organizations = organizations;
        this.accounts = accounts;
        this.events = events;
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
     * undoes a new account.
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
            Uni<Boolean> organizationExists = organizationId == null ? Uni.createFrom().item(true)
                    : organizations.exists(db.client(), organizationId);
            return organizationExists.invoke(exists -> {
                if (!exists) {
                    throw Errors.invalid("organizationId", "Organization not found.");
                }
            }).chain(() -> accounts.withAccount(email.trim(), request.nameGiven(), request.nameFamily(),
                    "practitioner", account -> db.inTransaction(tx -> practitioners
                            .upsert(tx, account.id(), request.nameFamily(), request.nameGiven())
                            .call(id -> join(tx, id, organizationId, account.id())))));
        }).flatMap(this::find);
    }

    /** Makes the practitioner a member of the organization (if it is not already one of its practitioners). */
    private Uni<Void> join(SqlClient tx, long practitionerId, Long organizationId, long userId) {
        if (organizationId == null) {
            return Uni.createFrom().voidItem();
        }
        return organizations.insertMemberIfAbsent(tx, practitionerId, organizationId, Permissions.MEMBER)
                .chain(n -> n == 0 ? Uni.createFrom().voidItem()
                        : events.practitionerMembershipChanged(tx, organizationId, userId));
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
