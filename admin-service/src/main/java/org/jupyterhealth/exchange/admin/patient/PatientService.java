package org.jupyterhealth.exchange.admin.patient;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.account.AccountDirectory;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.event.Events;
import org.jupyterhealth.exchange.admin.patient.PatientRepository.Filter;
import org.jupyterhealth.exchange.admin.security.Caller;
import org.jupyterhealth.exchange.admin.security.Permissions;
import org.jupyterhealth.exchange.admin.web.AdminException;
import org.jupyterhealth.exchange.admin.web.AdminException.PermissionDeniedException;
import org.jupyterhealth.exchange.admin.web.Body;
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

    private final Db db;
    private final PatientRepository patients;
    private final Permissions permissions;
    private final AccountDirectory accounts;
    private final Events events;

    public PatientService(Db db, PatientRepository patients, Permissions permissions, AccountDirectory accounts,
            Events events) {
        this.db = db;
        this.patients = patients;
        this.permissions = permissions;
        this.accounts = accounts;
        this.events = events;
    }

    /** What a create or update may set; null fields are not given. */
    public record PatientChange(Long organizationId, String telecomEmail, String nameFamily, String nameGiven,
            LocalDate birthDate, boolean birthDateGiven, String telecomPhone, List<IdentifierValue> identifiers) {
    }

    public record IdentifierValue(String system, String value) {
    }

    /**
     * Reads and validates a create or update body (the original's messages, as 400s): everything a create needs is
     * judged here, before identity-service is asked for an account.
     */
    public static PatientChange change(Body body) {
        LocalDate birthDate = body.date("birthDate", "Enter a valid birth date (YYYY-MM-DD).");
        List<IdentifierValue> identifiers = null;
        if (body.has("identifiers") && body.node("identifiers") != null) {
            identifiers = new ArrayList<>();
            for (Body item : body.objects("identifiers")) {
                String system = item.string("system");
                String value = item.string("value");
                if (system == null || system.isBlank() || value == null || value.isBlank()) {
                    continue;
                }
                identifiers.add(new IdentifierValue(system.trim(), value.trim()));
            }
        }
        return new PatientChange(body.id("organizationId"), body.string("telecomEmail", TextRules.MAX_EMAIL),
                body.string("nameFamily", TextRules.MAX_PERSON_NAME),
                body.string("nameGiven", TextRules.MAX_PERSON_NAME), birthDate, body.has("birthDate"),
                body.string("telecomPhone"), identifiers);
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
     * (its UI restores them). Written only when they change, so that repeated lists take no row lock.
     */
    public Uni<Void> rememberSelection(long practitionerId, Long organizationId, Long studyId, boolean clearStudy) {
        if (organizationId == null && studyId == null && !clearStudy) {
            return Uni.createFrom().voidItem();
        }
        // only an organization the practitioner belongs to, and a study of one, are remembered
        String expr = "settings";
        if (organizationId != null) {
            expr = "CASE WHEN EXISTS (SELECT 1 FROM practitioner_organization m WHERE m.practitioner_id = $1 "
                    + "AND m.organization_id = $2) THEN jsonb_set(" + expr
                    + ", '{currentOrganizationId}', to_jsonb($2::bigint)) ELSE " + expr + " END";
        }
        if (studyId != null) {
            expr = "CASE WHEN EXISTS (SELECT 1 FROM study s JOIN practitioner_organization m ON m.organization_id = "
                    + "s.organization_id WHERE s.id = $3 AND m.practitioner_id = $1) THEN jsonb_set(" + expr
                    + ", '{currentStudyId}', to_jsonb($3::bigint)) ELSE " + expr + " END";
        } else if (clearStudy) {
            expr = "(" + expr + " - 'currentStudyId')";
        }
        return db.query("UPDATE practitioner SET settings = " + expr + " WHERE id = $1 AND settings IS DISTINCT FROM "
                + expr + " AND ($2::bigint IS NULL OR TRUE) AND ($3::bigint IS NULL OR TRUE)", practitionerId,
                organizationId, studyId).replaceWithVoid();
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
    public Uni<List<Map<String, Object>>> consolidatedClients(Caller caller, long id) {
        return patient(caller, id).chain(() -> db.list("SELECT DISTINCT c.id, c.name, c.client_id, c.invitation_url "
                + "FROM study_patient sp JOIN study_client sc ON sc.study_id = sp.study_id "
                + "JOIN oauth_client c ON c.id = sc.client_id WHERE sp.patient_id = $1 ORDER BY c.id", row -> row, id))
                .flatMap(clients -> db.list("SELECT * FROM patient_invitation WHERE patient_id = $1 "
                        + "ORDER BY last_updated DESC", row -> row, id).map(invitations -> {
                            List<Map<String, Object>> out = new ArrayList<>();
                            for (var c : clients) {
                                Map<String, Object> client = new java.util.LinkedHashMap<>();
                                client.put("id", c.getLong("id"));
                                client.put("name", c.getString("name"));
                                client.put("clientId", c.getString("client_id"));
                                client.put("invitationUrl", c.getString("invitation_url"));
                                List<Map<String, Object>> mine = new ArrayList<>();
                                for (var i : invitations) {
                                    if (i.getLong("client_id").equals(c.getLong("id"))) {
                                        Map<String, Object> inv = new java.util.LinkedHashMap<>();
                                        inv.put("id", i.getLong("id"));
                                        inv.put("patientId", id);
                                        inv.put("client_id", c.getLong("id"));
                                        inv.put("tokenHash", i.getString("token_hash"));
                                        inv.put("token", null);
                                        inv.put("status", i.getString("status"));
                                        inv.put("lastUpdated", i.getOffsetDateTime("last_updated"));
                                        mine.add(inv);
                                    }
                                }
                                client.put("patientInvitations", mine);
                                out.add(client);
                            }
                            return out;
                        }));
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
    public Uni<List<Object>> globalLookup(Caller caller, String email) {
        if (email == null) {
            return Uni.createFrom().failure(Errors.invalid("email", "email parameter required"));
        }
        if (!caller.isPractitioner() && !caller.superuser()) {
            return Uni.createFrom().failure(Errors.forbidden());
        }
        return db.list("SELECT p.id FROM patient p JOIN account a ON a.id = p.jhe_user_id "
                + "WHERE lower(a.email) = lower($1) ORDER BY p.id", row -> row.getLong(0), email)
                .flatMap(ids -> patients.findByIds(ids))
                .flatMap(found -> {
                    List<Uni<Object>> each = new ArrayList<>();
                    for (PatientResponse p : found) {
                        each.add(permissions.sharesOrganizationWithPatient(caller, p.id()).map(shares -> shares
                                ? (Object) p
                                : Map.of("id", p.id(), "jheUserId", p.jheUserId(), "identifiers", p.identifiers())));
                    }
                    return each.isEmpty() ? Uni.createFrom().item(List.<Object>of())
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
    public Uni<PatientResponse> createPatient(Caller caller, PatientChange change) {
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
                .chain(() -> db.one("SELECT EXISTS (SELECT 1 FROM organization WHERE id = $1)",
                        row -> row.getBoolean(0), organizationId))
                .invoke(exists -> {
                    if (!exists) {
                        throw Errors.invalid("organizationId", "Organization " + organizationId + " does not exist.");
                    }
                })
                .chain(() -> checkIdentifiersFree(db.client(), identifiers, null))
                .chain(() -> db.one("SELECT p.id FROM patient p JOIN account a ON a.id = p.jhe_user_id "
                        + "WHERE lower(a.email) = lower($1)", row -> row.getLong(0), email))
                .invoke(existing -> {
                    if (existing != null) {
                        throw alreadyAPatient(existing);
                    }
                })
                .chain(() -> accounts.withAccount(email, change.nameGiven(), change.nameFamily(), "patient",
                        account -> db.inTransaction(tx -> Db.one(tx,
                                "SELECT id FROM patient WHERE jhe_user_id = $1", row -> row.getLong(0), account.id())
                                .flatMap(existing -> {
                                    if (existing != null) {
                                        return Uni.createFrom().failure(alreadyAPatient(existing));
                                    }
                                    return Db.one(tx, "INSERT INTO patient (jhe_user_id, name_family, name_given, "
                                            + "birth_date, telecom_phone) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                                            row -> row.getLong(0), account.id(), change.nameFamily(),
                                            change.nameGiven(), change.birthDate(), change.telecomPhone());
                                })
                                .call(id -> Db.update(tx, "INSERT INTO patient_organization (patient_id, "
                                        + "organization_id) VALUES ($1, $2)", id, organizationId))
                                .call(id -> insertIdentifiers(tx, id, identifiers))
                                .call(id -> events.patientMembershipChanged(tx, id, organizationId)))))
                .flatMap(patients::findById)
                .map(p -> p.inOrganization(organizationId));
    }

    private static AdminException.ValidationException alreadyAPatient(long patientId) {
        return Errors.invalid("telecomEmail", "A patient with this email address already exists (patient "
                + patientId + "); add it to the organization instead.");
    }

    private Uni<Void> checkIdentifiersFree(SqlClient client, List<IdentifierValue> identifiers, Long patientId) {
        if (identifiers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> keys = identifiers.stream().map(i -> i.system() + "|" + i.value()).toList();
        if (keys.stream().distinct().count() < keys.size()) {
            return Uni.createFrom().failure(Errors.invalid("identifiers", "The same identifier is given twice."));
        }
        return Db.one(client, "SELECT system, value FROM patient_identifier WHERE system || '|' || value = ANY($1) "
                + "AND ($2::bigint IS NULL OR patient_id <> $2) LIMIT 1", row -> row.getString(0) + "|" + row.getString(1),
                keys.toArray(new String[0]), patientId)
                .invoke(taken -> {
                    if (taken != null) {
                        throw Errors.invalid("identifiers", "The external identifier " + taken
                                + " is already in use by another patient.");
                    }
                }).replaceWithVoid();
    }

    private Uni<Void> insertIdentifiers(SqlClient tx, long patientId, List<IdentifierValue> identifiers) {
        if (identifiers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Db.update(tx, "INSERT INTO patient_identifier (patient_id, system, value) "
                + "SELECT $1, s, v FROM unnest($2::text[], $3::text[]) AS t(s, v)", patientId,
                identifiers.stream().map(IdentifierValue::system).toArray(String[]::new),
                identifiers.stream().map(IdentifierValue::value).toArray(String[]::new)).replaceWithVoid();
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
                .chain(() -> db.one("SELECT EXISTS (SELECT 1 FROM patient_organization WHERE patient_id = $1 "
                        + "AND organization_id = $2)", row -> row.getBoolean(0), patientId, organizationId))
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
    public Uni<PatientResponse> updatePatient(Caller caller, long id, Long organizationId, PatientChange change,
            boolean partial) {
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
                        : checkIdentifiersFree(db.client(), identifiers, id))
                .chain(() -> db.inTransaction(tx -> Db.update(tx, partial
                        ? "UPDATE patient SET name_family = COALESCE($2, name_family), "
                                + "name_given = COALESCE($3, name_given), "
                                + "birth_date = CASE WHEN $6 THEN $4 ELSE birth_date END, "
                                + "telecom_phone = COALESCE($5, telecom_phone), last_updated = now() WHERE id = $1"
                        : "UPDATE patient SET name_family = $2, name_given = $3, birth_date = $4, telecom_phone = $5, "
                                + "last_updated = now() WHERE id = $1 AND ($6 OR TRUE)",
                        id, change.nameFamily(), change.nameGiven(), change.birthDate(), change.telecomPhone(),
                        change.birthDateGiven())
                        .call(n -> identifiers == null ? Uni.createFrom().voidItem()
                                : Db.update(tx, "DELETE FROM patient_identifier WHERE patient_id = $1", id)
                                        .chain(() -> insertIdentifiers(tx, id, identifiers)))))
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
                .chain(() -> db.inTransaction(tx -> events.recordBulk(tx,
                        "SELECT sp.patient_id, sp.study_id, s.organization_id, NULL::bigint, 'ENROLMENT_CHANGED' "
                                + "FROM study_patient sp JOIN study s ON s.id = sp.study_id "
                                + "WHERE sp.patient_id = $1 AND s.organization_id = $2", id, organizationId)
                        .call(() -> Db.update(tx, "DELETE FROM study_patient sp USING study s WHERE s.id = sp.study_id "
                                + "AND sp.patient_id = $1 AND s.organization_id = $2", id, organizationId))
                        .call(() -> Db.update(tx, "DELETE FROM patient_organization WHERE patient_id = $1 "
                                + "AND organization_id = $2", id, organizationId))
                        .call(() -> events.patientMembershipChanged(tx, id, organizationId))
                        .chain(() -> Db.one(tx, "SELECT NOT EXISTS (SELECT 1 FROM patient_organization "
                                + "WHERE patient_id = $1)", row -> row.getBoolean(0), id))
                        .flatMap(orphan -> !orphan ? Uni.createFrom().voidItem()
                                : Db.one(tx, "DELETE FROM patient WHERE id = $1 RETURNING COALESCE(jhe_user_id, 0)",
                                        row -> row.getLong(0), id)
                                        .call(userId -> events.patientDeleted(tx, id))
                                        .flatMap(userId -> userId == 0 ? Uni.createFrom().voidItem()
                                                : forgetAccountIfUnused(tx, userId)))));
    }

    /**
     * Deletes the account of a deleted patient unless it is still a practitioner's or an administrator's, in the
     * deletion's transaction: if identity-service cannot delete it, the patient is not deleted either (503).
     */
    private Uni<Void> forgetAccountIfUnused(SqlClient tx, long userId) {
        return Db.one(tx, "SELECT (SELECT is_superuser FROM account WHERE id = $1) IS TRUE "
                + "OR EXISTS (SELECT 1 FROM practitioner WHERE jhe_user_id = $1)", row -> row.getBoolean(0), userId)
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
                .chain(() -> db.one("SELECT EXISTS (SELECT 1 FROM organization WHERE id = $1)",
                        row -> row.getBoolean(0), organizationId))
                .invoke(exists -> {
                    if (!exists) {
                        throw Errors.notFound("Organization");
                    }
                })
                .chain(() -> permissions.require(caller, organizationId, Permissions.EDITORS))
                .chain(() -> db.inTransaction(tx -> Db.update(tx, "INSERT INTO patient_organization (patient_id, "
                        + "organization_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", id, organizationId)
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
