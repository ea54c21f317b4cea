package org.jupyterhealth.exchange.admin.user;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.account.Account;
import org.jupyterhealth.exchange.admin.account.AccountDirectory;
import org.jupyterhealth.exchange.admin.account.Activation;
import org.jupyterhealth.exchange.admin.account.ActivationMail;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.db.JsonText;
import org.jupyterhealth.exchange.admin.event.Events;
import org.jupyterhealth.exchange.admin.organization.OrganizationRepository;
import org.jupyterhealth.exchange.admin.organization.OrganizationResponse;
import org.jupyterhealth.exchange.admin.patient.PatientRepository;
import org.jupyterhealth.exchange.admin.patient.PatientResponse;
import org.jupyterhealth.exchange.admin.security.Caller;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;
import org.jupyterhealth.exchange.admin.web.TextRules;

import io.smallrye.mutiny.Uni;

/**
 * Users as the caller may see them (docs/compatibility.md#permissions): a superuser sees every account admin-service
 * knows; a practitioner sees itself and the practitioners and patients of its organizations; a patient sees only
 * itself.
 */
@ApplicationScoped
public class UserService {
    public static final String PRACTITIONER = "practitioner";
    public static final String PATIENT = "patient";
    /** The types an account may have (it may also have none yet). */
    public static final List<String> USER_TYPES = List.of(PRACTITIONER, PATIENT);
    /** The settings of a practitioner that has none stored. */
    private static final JsonText NO_SETTINGS = new JsonText("{}");

    private final Db db;
    private final UserRepository users;
    private final PatientRepository patients;
    private final OrganizationRepository organizations;
    private final AccountDirectory accounts;
    private final Events events;
    private final ActivationMail activationMail;

    public UserService(Db db, UserRepository users, PatientRepository patients, OrganizationRepository organizations,
            AccountDirectory accounts, Events events, ActivationMail activationMail) {
        this.db = db;
        this.users = users;
        this.patients = patients;
        this.organizations = organizations;
        this.accounts = accounts;
        this.events = events;
        this.activationMail = activationMail;
    }

    /** Creates (or finds) an account in identity-service: superusers only. */
    public Uni<UserResponse> createUser(Caller caller, UserRequest request) {
        if (!caller.superuser()) {
            return Uni.createFrom().failure(Errors.forbidden());
        }
        String email = request.email();
        if (email == null || !TextRules.isEmail(email.trim())) {
            return Uni.createFrom().failure(Errors.invalid("email", "Enter a valid email address."));
        }
        String userType = request.userType();
        if (userType != null && !USER_TYPES.contains(userType)) {
            return Uni.createFrom().failure(Errors.invalid("userType", "\"" + userType + "\" is not a valid choice."));
        }
        // the answer is part of the write: should it fail, an account this request created is deleted again; the
        // activation link is asked for and e-mailed last, so that it never goes out for an account that was undone
        return accounts.withAccount(email.trim(), request.firstName(), request.lastName(), userType,
                (account, created) -> user(caller, account.id())
                        .flatMap(user -> activationOf(account, created && !PATIENT.equals(userType))
                                .call(activation -> activation == null || !activationMail.byMail()
                                        ? Uni.createFrom().voidItem()
                                        : db.inTransaction(tx -> activationMail.queue(tx, account.email(),
                                                account.firstName(), null, activation)))
                                .map(activation -> user.withActivation(activation, activationMail.byMail()))));
    }

    /**
     * A new staff account's activation link (e-mailed in the name of the exchange's administrators, or, with e-mail
     * off, returned); none for an account that existed before or a patient's, who joins through an invitation.
     */
    private Uni<Activation> activationOf(Account account, boolean needed) {
        return needed ? accounts.issueActivation(account.id()) : Uni.createFrom().nullItem();
    }

    /** {@code PUT}: as a {@code PATCH}, the e-mail being required. */
    public Uni<UserResponse> replaceUser(Caller caller, long id, UserReplacement request) {
        return renameUser(caller, id, request.email(), request.userType(), request.firstName(), request.lastName());
    }

    public Uni<UserResponse> patchUser(Caller caller, long id, UserPatch patch) {
        return renameUser(caller, id, patch.email(), patch.userType(), patch.firstName(), patch.lastName());
    }

    /**
     * Renames an account: oneself, or a superuser anyone. An e-mail or a type the request names must be the
     * account's own: identity-service keeps the e-mail as the sign-in name and offers no change of it, and the
     * type decides which records and tokens the account has, so neither is changed by a rename.
     */
    private Uni<UserResponse> renameUser(Caller caller, long id, String email, String userType, String firstName,
            String lastName) {
        if (id != caller.userId() && !caller.superuser()) {
            return Uni.createFrom().failure(Errors.forbidden());
        }
        String trimmed = email == null ? null : email.trim();
        Uni<Void> unchanged = trimmed == null && userType == null ? Uni.createFrom().voidItem()
                : accounts.requireOwnEmail(id, trimmed, "email").invoke(account -> {
                    if (userType != null && !userType.equals(account.userType())) {
                        throw Errors.unchangeable("userType", "user type");
                    }
                }).replaceWithVoid();
        return unchanged.chain(() -> accounts.rename(id, firstName, lastName)).flatMap(a -> user(caller, id));
    }

    /**
     * Deletes an account (superusers; not oneself): its practitioner and patient records here (the patient's data
     * is purged by ingest-service on {@code PATIENT_DELETED}) and the account in identity-service, in one
     * transaction that commits only once identity-service has deleted the account. An account neither admin-service
     * nor identity-service knows is a 404.
     */
    public Uni<Void> deleteUser(Caller caller, long id) {
        if (!caller.superuser()) {
            return Uni.createFrom().failure(Errors.forbidden());
        }
        if (id == caller.userId()) {
            return Uni.createFrom().failure(Errors.invalid("You cannot delete your own account."));
        }
        return accounts.find(id).invoke(account -> {
            if (account == null) {
                throw Errors.notFound("user");
            }
        }).chain(() -> db.inTransaction(tx -> users.deletePatientOf(tx, id)
                .call(patientId -> patientId == null ? Uni.createFrom().voidItem()
                        : events.patientDeleted(tx, patientId))
                .call(() -> users.deletePractitionerOf(tx, id))
                .call(() -> accounts.delete(tx, id))))
                .replaceWithVoid();
    }

    public Uni<Page<UserResponse>> listUsers(Caller caller, String email, PageRequest page) {
        return users.insertCallerIfAbsent(caller)
                .chain(() -> users.countVisible(caller, email))
                .flatMap(count -> {
                    PageRequest resolved = page.resolve(count);
                    return users.listVisible(caller, email, resolved.offset(), resolved.limit())
                            .flatMap(accounts -> withPatients(caller, accounts))
                            .map(found -> resolved.page(count, found));
                });
    }

    /** One user: oneself, or (superuser) anyone admin-service knows. */
    public Uni<UserResponse> user(Caller caller, long id) {
        if (id != caller.userId() && !caller.superuser()) {
            return Uni.createFrom().failure(Errors.forbidden());
        }
        return users.insertCallerIfAbsent(caller)
                .chain(() -> users.findById(id))
                .flatMap(account -> account == null ? Uni.createFrom().failure(Errors.notFound("user"))
                        : withPatients(caller, List.of(account)).map(list -> list.get(0)));
    }

    /** The first visible user with this e-mail, or null. */
    public Uni<UserResponse> searchByEmail(Caller caller, String email) {
        if (email == null) {
            return Uni.createFrom().failure(Errors.invalid("email", "email parameter required"));
        }
        // practitioners look accounts up by exact e-mail to add them to an organization: the account itself
        // (no patient data) is visible to them; patients only find themselves
        boolean mayLookUpAnyone = caller.superuser() || caller.isPractitioner();
        return users.insertCallerIfAbsent(caller)
                .chain(() -> users.findByEmail(email, mayLookUpAnyone, caller.userId()))
                .flatMap(account -> account == null ? Uni.createFrom().nullItem()
                        : withPatients(caller, List.of(account)).map(list -> list.get(0)));
    }

    /** Attaches the patient record of each account, when the caller may read it. */
    private Uni<List<UserResponse>> withPatients(Caller caller, List<Account> found) {
        if (found.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Long> userIds = found.stream().map(Account::id).toList();
        return users.findReadablePatientIds(userIds, caller.userId(), caller.practitionerId())
                .flatMap(patientOfUser -> patients.findByIds(patientOfUser.values()).map(records -> {
                    Map<Long, PatientResponse> byId = new HashMap<>();
                    records.forEach(r -> byId.put(r.id(), r));
                    List<UserResponse> out = new ArrayList<>();
                    for (Account a : found) {
                        Long patientId = patientOfUser.get(a.id());
                        out.add(new UserResponse(a.id(), a.email(), a.firstName(), a.lastName(),
                                patientId == null ? null : byId.get(patientId), a.userType(), a.superuser()));
                    }
                    return out;
                }));
    }

    /**
     * {@code GET /api/v1/users/profile}: for a patient the PHI-stripped shape of the original; for everyone else
     * the original's fields plus the guide's {@code practitioner} object (docs/compatibility.md#response-shapes).
     */
    public Uni<ProfileResponse> profile(Caller caller) {
        if (caller.isPatient()) {
            return patients.findById(caller.patientId()).map(p -> new ProfileResponse.OfPatient(caller.userId(),
                    new ProfileResponse.PatientProfile(p.id(), p.jheUserId(), p.identifiers(), p.organizations()),
                    PATIENT, false));
        }
        Uni<Account> account = users.findById(caller.userId());
        Uni<JsonText> settings = caller.practitionerId() == null ? Uni.createFrom().nullItem()
                : users.findPractitionerSettings(caller.practitionerId());
        Uni<List<OrganizationResponse>> orgs = caller.practitionerId() == null ? Uni.createFrom().item(List.of())
                : organizations.listByPractitioner(caller.practitionerId());
        return Uni.combine().all().unis(account, settings, orgs).asTuple().map(t -> {
            Account known = t.getItem1();
            String userType = caller.user().userType() != null ? caller.user().userType()
                    : caller.isPractitioner() ? PRACTITIONER : null;
            boolean practitioner = caller.practitionerId() != null;
            JsonText ownSettings = !practitioner ? null : t.getItem2() == null ? NO_SETTINGS : t.getItem2();
            return new ProfileResponse.OfUser(caller.userId(),
                    known != null ? known.email() : caller.user().email(),
                    known != null ? known.firstName() : caller.user().firstName(),
                    known != null ? known.lastName() : caller.user().lastName(),
                    null, userType, caller.superuser(), ownSettings,
                    practitioner ? new ProfileResponse.PractitionerProfile(caller.practitionerId(), caller.userId(),
                            t.getItem3()) : null);
        });
    }
}
