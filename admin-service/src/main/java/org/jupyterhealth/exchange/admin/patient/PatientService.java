package org.jupyterhealth.exchange.admin.patient;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.account.AccountDirectory;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.event.Events;
import org.jupyterhealth.exchange.admin.organization.OrganizationRepository;
import org.jupyterhealth.exchange.admin.patient.PatientRepository.Filter;
import org.jupyterhealth.exchange.admin.patient.PatientRepository.IdentifierValue;
import org.jupyterhealth.exchange.admin.security.Caller;
import org.jupyterhealth.exchange.admin.security.Permissions;
import org.jupyterhealth.exchange.admin.web.AdminException;
import org.jupyterhealth.exchange.admin.web.AdminException.PermissionDeniedException;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;
import org.jupyterhealth.exchange.admin.web.TextRules;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Patients (docs/compatibility.md#patients) with the holes closed (docs/compatibility.md#permissions): a practitioner
 * reads a patient only when they share an organization; writes need the manager or member role in the organization
 * concerned.
 */
@ApplicationScoped
public class PatientService {
    public static final String NOT_AUTHORIZED = "Current User does not have authorization to access this Patient.";

    private static final Pattern ISO_DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    private final Db db;
    private final PatientRepository patients;
    private final OrganizationRepository organizations;
    private final Permissions permissions;
    private final AccountDirectory accounts;
    private final Events events;

    public PatientService(Db db, PatientRepository patients, OrganizationRepository organizations,
            Permissions permissions, AccountDirectory accounts, Events events) {
        this.db = db;
        this.patients = patients;
        this.organizations = organizations;
        this.permissions = permissions;
        this.accounts = accounts;
        this.events = events;
    }

    /** What a create or update may set; null fields are not given. */
    private record PatientChange(Long organizationId, String telecomEmail, String nameFamily, String nameGiven,
            LocalDate birthDate, boolean birthDateGiven, String telecomPhone, List<IdentifierValue> identifiers) {
    }

    /**
     * What a create or update body sets, with the original's message for a birth date that is not one (a 400 with
     * no field prefix in its {@code detail}): everything a create needs is judged before identity-service is asked
     * for an account. Identifiers with a blank system or value are skipped, the others trimmed.
     */
    private static PatientChange change(PatientRequest request) {
        LocalDate birthDate = date(request.birthDate());
        List<IdentifierValue> identifiers = null;
        if (request.identifiers() != null) {
            identifiers = new ArrayList<>();
            for (PatientIdentifierRequest item : request.identifiers()) {
                String system = item.system();
                String value = item.value();
                if (system == null || system.isBlank() || value == null || value.isBlank()) {
                    continue;
                }
                identifiers.add(new IdentifierValue(system.trim(), value.trim()));
            }
        }
        return new PatientChange(request.organizationId(), request.telecomEmail(), request.nameFamily(),
                request.nameGiven(), birthDate, request.birthDate() != null, request.telecomPhone(), identifiers);
    }

    /** A date written {@code YYYY-MM-DD}, or null when not given, null or empty. */
    private static LocalDate date(Optional<String> given) {
        String value = given == null ? null : given.orElse(null);
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim();
        try {
            if (ISO_DATE.matcher(trimmed).matches()) {
                return LocalDate.parse(trimmed);
            }
        } catch (DateTimeParseException e) {
            // refused below
        }
        throw Errors.invalid("birthDate", "Enter a valid birth date (YYYY-MM-DD).");
    }

    // ------------------------------------------------------------------------------------------------ reads

    public Uni<Page<PatientResponse>> listPatients(Caller caller, Filter filter, PageRequest page) {
        if (caller.practitionerId() == null) {
            // patients and superusers without memberships see no patient list (health data only where a member)
            return Uni.createFrom().item(page.page(0, List.of()));
        }
        long practitioner = caller.practitionerId();
        Uni<Void> sticky = rememberSelection(practitioner, filter.organizationId(), filter.studyId(), true);
        Uni<PatientRepository.Slice> slice = page.needsCount()
                ? patients.pageShared(practitioner, filter, 0, 1)
                        .flatMap(first -> {
                            PageRequest resolved = page.resolve(first.total());
                            return patients.pageShared(practitioner, filter, resolved.offset(), resolved.limit());
                        })
                : patients.pageShared(practitioner, filter, page.offset(), page.limit());
        return Uni.combine().all().unis(sticky, slice).asTuple().map(t -> {
            long total = t.getItem2().total();
            return page.resolve(total).page(total, t.getItem2().rows().stream()
                    .map(p -> p.inOrganization(filter.organizationId())).toList());
        });
    }

    /**
     * The original's side effect of list views: the practitioner's current organization and study are remembered
     * (its UI restores them).
     */
    public Uni<Void> rememberSelection(long practitionerId, Long organizationId, Long studyId, boolean clearStudy) {
        if (organizationId == null && studyId == null && !clearStudy) {
            return Uni.createFrom().voidItem();
        }
        return patients.rememberSelection(practitionerId, organizationId, studyId, clearStudy);
    }

    /** One patient: itself, or a practitioner sharing an organization with it. */
    public Uni<PatientResponse> patient(Caller caller, long id) {
        return patients.findById(id).flatMap(found -> {
            if (found == null) {
                return Uni.createFrom().failure(Errors.notFound("Patient"));
            }
            return permissions.mayReadPatient(caller, id).map(allowed -> {
                if (!allowed) {
                    throw new PermissionDeniedException(NOT_AUTHORIZED);
                }
                return found;
            });
        });
    }

    /** The patient apps of the studies the patient is enrolled in, with the patient's invitations to each. */
    public Uni<List<ConsolidatedClientResponse>> consolidatedClients(Caller caller, long id) {
        return patient(caller, id).chain(() -> patients.listConsolidatedClients(id));
    }

    public Uni<PatientResponse> me(Caller caller) {
        if (!caller.isPatient()) {
            return Uni.createFrom().failure(Errors.forbidden("Current user is not a patient."));
        }
        return patients.findById(caller.patientId());
    }

    /**
     * Patients with this e-mail, for a practitioner about to add an existing patient to its organization: the full
     * record when they already share an organization, otherwise only ids and identifiers (no PHI).
     */
    public Uni<List<PatientMatch>> globalLookup(Caller caller, String email) {
        if (email == null) {
            return Uni.createFrom().failure(Errors.invalid("email", "email parameter required"));
        }
        if (!caller.isPractitioner() && !caller.superuser()) {
            return Uni.createFrom().failure(Errors.forbidden());
        }
        return patients.listIdsByEmail(email)
                .flatMap(patients::findByIds)
                .flatMap(found -> {
                    List<Uni<PatientMatch>> each = new ArrayList<>();
                    for (PatientResponse p : found) {
                        each.add(permissions.sharesOrganizationWithPatient(caller, p.id()).map(shares -> shares
                                ? (PatientMatch) p
                                : new PatientSummary(p.id(), p.jheUserId(), p.identifiers())));
                    }
                    return each.isEmpty() ? Uni.createFrom().item(List.<PatientMatch>of())
                            : Uni.join().all(each).andFailFast();
                });
    }

    // ------------------------------------------------------------------------------------------------ writes

    /**
     * Creates (or reuses) the account and the patient, member of one organization (managers, members). Everything
     * that can be judged beforehand (the fields, the caller's right, the organization, the identifiers, an existing
     * patient of this e-mail) is judged before identity-service is asked for the account; a failure after that
     * undoes an account this request created ({@link AccountDirectory#withAccount}).
     */
    public Uni<PatientResponse> createPatient(Caller caller, PatientRequest request) {
        PatientChange change = change(request);
        if (change.telecomEmail() == null || change.telecomEmail().isBlank()) {
            return Uni.createFrom().failure(Errors.invalid("telecomEmail", "Email is required to create a patient."));
        }
        String email = change.telecomEmail().trim();
        if (!TextRules.isEmail(email)) {
            return Uni.createFrom().failure(Errors.invalid("telecomEmail", "Enter a valid email address."));
        }
        if (change.organizationId() == null) {
            return Uni.createFrom().failure(Errors.invalid("organizationId", "This field is required."));
        }
        long organizationId = change.organizationId();
        List<IdentifierValue> identifiers = change.identifiers() == null ? List.of() : change.identifiers();
        return permissions.require(caller, organizationId, Permissions.EDITORS)
                .chain(() -> organizations.exists(db.client(), organizationId))
                .invoke(exists -> {
                    if (!exists) {
                        throw Errors.invalid("organizationId", "Organization " + organizationId + " does not exist.");
                    }
                })
                .chain(() -> checkIdentifiersFree(identifiers, null))
                .chain(() -> patients.findIdByEmail(email))
                .invoke(existing -> {
                    if (existing != null) {
                        throw alreadyAPatient(existing);
                    }
                })
                .chain(() -> accounts.withAccount(email, change.nameGiven(), change.nameFamily(), "patient",
                        account -> db.inTransaction(tx -> patients.findIdByUserId(tx, account.id())
                                .flatMap(existing -> {
                                    if (existing != null) {
                                        return Uni.createFrom().failure(alreadyAPatient(existing));
                                    }
                                    return patients.insert(tx, account.id(), change.nameFamily(), change.nameGiven(),
                                            change.birthDate(), change.telecomPhone());
                                })
                                .call(id -> patients.insertMembership(tx, id, organizationId))
                                .call(id -> patients.insertIdentifiers(tx, id, identifiers))
                                .call(id -> events.patientMembershipChanged(tx, id, organizationId)))))
                .flatMap(patients::findById)
                .map(p -> p.inOrganization(organizationId));
    }

    private static AdminException.ValidationException alreadyAPatient(long patientId) {
        return Errors.invalid("telecomEmail", "A patient with this email address already exists (patient "
                + patientId + "); add it to the organization instead.");
    }

    private Uni<Void> checkIdentifiersFree(List<IdentifierValue> identifiers, Long patientId) {
        if (identifiers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (identifiers.stream().map(i -> i.system() + "|" + i.value()).distinct().count() < identifiers.size()) {
            return Uni.createFrom().failure(Errors.invalid("identifiers", "The same identifier is given twice."));
        }
        return patients.findTakenIdentifier(identifiers, patientId)
                .invoke(taken -> {
                    if (taken != null) {
                        throw Errors.invalid("identifiers", "The external identifier " + taken
                                + " is already in use by another patient.");
                    }
                }).replaceWithVoid();
    }

    /** The organization a write on a patient is about: required, the caller an editor there, the patient a member. */
    private Uni<Void> requireEditorOfPatientOrganization(Caller caller, long patientId, Long organizationId) {
        if (organizationId == null) {
            return Uni.createFrom().failure(Errors.invalid("organizationId", "organizationId required"));
        }
        return patients.exists(db.client(), patientId)
                .invoke(exists -> {
                    if (!exists) {
                        throw Errors.notFound("Patient");
                    }
                })
                .chain(() -> permissions.require(caller, organizationId, Permissions.EDITORS))
                .chain(() -> patients.isMember(patientId, organizationId))
                .invoke(member -> {
                    if (!member) {
                        throw Errors.forbidden(NOT_AUTHORIZED);
                    }
                }).replaceWithVoid();
    }

    /**
     * Changes the patient's record. A {@code telecomEmail} is judged as on create and must be the patient's own:
     * it is the account's sign-in name, kept by identity-service, and no update changes it.
     */
    public Uni<PatientResponse> updatePatient(Caller caller, long id, Long organizationIdParam,
            PatientRequest request, boolean partial) {
        PatientChange change = change(request);
        Long organizationId = organizationIdParam != null ? organizationIdParam : change.organizationId();
        List<IdentifierValue> identifiers = change.identifiers();
        String email = change.telecomEmail() == null ? null : change.telecomEmail().trim();
        if (email != null && !TextRules.isEmail(email)) {
            return Uni.createFrom().failure(TextRules.invalid("telecomEmail", "Enter a valid email address."));
        }
        return requireEditorOfPatientOrganization(caller, id, organizationId)
                .chain(() -> email == null ? Uni.createFrom().voidItem()
                        : patients.findById(id).chain(p -> p.jheUserId() == null
                                ? Uni.createFrom().failure(Errors.unchangeable("telecomEmail", "e-mail address"))
                                : accounts.requireOwnEmail(p.jheUserId(), email, "telecomEmail")).replaceWithVoid())
                .chain(() -> identifiers == null ? Uni.createFrom().voidItem()
                        : checkIdentifiersFree(identifiers, id))
                .chain(() -> db.inTransaction(tx -> patients.update(tx, id, change.nameFamily(), change.nameGiven(),
                        change.birthDate(), change.birthDateGiven(), change.telecomPhone(), partial)
                        .call(n -> identifiers == null ? Uni.createFrom().voidItem()
                                : patients.replaceIdentifiers(tx, id, identifiers))))
                .chain(() -> patients.findById(id))
                .map(p -> p.inOrganization(organizationId));
    }

    /**
     * Removes the patient from one organization, with its enrolments and consents in that organization's studies;
     * a patient left in no organization is deleted with its account (unless the account is also a practitioner's
     * or an administrator's), and ingest-service purges its observations ({@code PATIENT_DELETED}).
     */
    public Uni<Void> deletePatient(Caller caller, long id, Long organizationId) {
        return requireEditorOfPatientOrganization(caller, id, organizationId)
                .chain(() -> db.inTransaction(tx -> patients.deleteMembership(tx, id, organizationId)
                        .call(() -> events.patientMembershipChanged(tx, id, organizationId))
                        .chain(() -> patients.isInNoOrganization(tx, id))
                        .flatMap(orphan -> !orphan ? Uni.createFrom().voidItem()
                                : patients.delete(tx, id)
                                        .call(userId -> events.patientDeleted(tx, id))
                                        .flatMap(userId -> userId == 0 ? Uni.createFrom().voidItem()
                                                : forgetAccountIfUnused(tx, userId)))));
    }

    /**
     * Deletes the account of a deleted patient unless it is still a practitioner's or an administrator's, in the
     * deletion's transaction: if identity-service cannot delete it, the patient is not deleted either (503).
     */
    private Uni<Void> forgetAccountIfUnused(SqlClient tx, long userId) {
        return patients.isAccountInOtherUse(tx, userId)
                .flatMap(keep -> keep ? Uni.createFrom().voidItem() : accounts.delete(tx, userId));
    }

    /** Adds an existing patient to an organization (managers and members of that organization). */
    public Uni<PatientResponse> addToOrganization(Caller caller, long id, Long organizationId) {
        if (organizationId == null) {
            return Uni.createFrom().failure(Errors.invalid("organizationId", "organization_id parameter required"));
        }
        return patients.exists(db.client(), id)
                .invoke(exists -> {
                    if (!exists) {
                        throw Errors.notFound("Patient");
                    }
                })
                .chain(() -> organizations.exists(db.client(), organizationId))
                .invoke(exists -> {
                    if (!exists) {
                        throw Errors.notFound("Organization");
                    }
                })
                .chain(() -> permissions.require(caller, organizationId, Permissions.EDITORS))
                .chain(() -> db.inTransaction(tx -> patients.insertMembership(tx, id, organizationId)
                        .call(n -> {
                            if (n == 0) {
                                return Uni.createFrom().failure(Errors.invalid("organizationId",
                                        "This patient is already a member of this organization."));
                            }
                            return events.patientMembershipChanged(tx, id, organizationId);
                        })))
                .chain(() -> patients.findById(id))
                .map(p -> p.inOrganization(organizationId));
    }
}
