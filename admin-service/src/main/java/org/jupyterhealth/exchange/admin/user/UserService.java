package org.jupyterhealth.exchange.admin.user;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.account.Account;
import org.jupyterhealth.exchange.admin.db.Db;
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
import io.vertx.core.json.JsonObject;

/**
 * Users as the caller may see them (docs/compatibility.md#permissions): a superuser sees every account admin-service
 * knows; a practitioner sees itself and the practitioners and patients of its organizations; a patient sees only
 * itself.
 */
@ApplicationScoped
public class UserService {
    private static final String VISIBLE = "($2::boolean OR a.id = $1 OR a.id IN ("
            + "SELECT p.jhe_user_id FROM practitioner p JOIN practitioner_organization m ON m.practitioner_id = p.id "
            + "WHERE m.organization_id IN (SELECT organization_id FROM practitioner_organization WHERE practitioner_id = $3) "
            + "UNION SELECT pt.jhe_user_id FROM patient pt JOIN patient_organization pa ON pa.patient_id = pt.id "
            + "WHERE pa.organization_id IN (SELECT organization_id FROM practitioner_organization WHERE practitioner_id = $3)))";

    /** The types an account may have (it may also have none yet). */
    public static final List<String> USER_TYPES = List.of("practitioner", "patient");

    private final Db db;
    private final PatientRepository patients;
    private final OrganizationRepository organizations;
    private final org.jupyterhealth.exchange.admin.account.AccountDirectory accounts;
    private final org.jupyterhealth.exchange.admin.event.Events events;

    public UserService(Db db, PatientRepository patients, OrganizationRepository organizations,
            org.jupyterhealth.exchange.admin.account.AccountDirectory accounts,
            org.jupyterhealth.exchange.admin.event.Events events) {
        this.db = db;
        this.patients = patients;
        this.organizations = organizations;
        this.accounts = accounts;
        this.events = events;
    }

    /** Creates (or finds) an account in identity-service: superusers only. */
    public Uni<UserResponse> createUser(Caller caller, String email, String firstName, String lastName,
            String userType) {
        if (!caller.superuser()) {
            return Uni.createFrom().failure(Errors.forbidden());
        }
        if (email == null || !TextRules.isEmail(email.trim())) {
            return Uni.createFrom().failure(Errors.invalid("email", "Enter a valid email address."));
        }
        if (userType != null && !USER_TYPES.contains(userType)) {
            return Uni.createFrom().failure(Errors.invalid("userType", "\"" + userType + "\" is not a valid choice."));
        }
        // the answer is part of the write: should it fail, an account this request created is deleted again
        return accounts.withAccount(email.trim(), firstName, lastName, userType,
                account -> user(caller, account.id()));
    }

    /**
     * Renames an account: oneself, or a superuser anyone. An e-mail or a type the request names must be the
     * account's own: identity-service keeps the e-mail as the sign-in name and offers no change of it, and the
     * type decides which records and tokens the account has, so neither is changed by a rename.
     */
    public Uni<UserResponse> renameUser(Caller caller, long id, String email, String userType, String firstName,
            String lastName) {
        if (id != caller.userId() && !caller.superuser()) {
            return Uni.createFrom().failure(Errors.forbidden());
        }
        Uni<Void> unchanged = email == null && userType == null ? Uni.createFrom().voidItem()
                : accounts.requireOwnEmail(id, email, "email").invoke(account -> {
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
        }).chain(() -> db.inTransaction(tx -> Db.one(tx, "DELETE FROM patient WHERE jhe_user_id = $1 RETURNING id",
                row -> row.getLong(0), id)
                .call(patientId -> patientId == null ? Uni.createFrom().voidItem()
                        : events.patientDeleted(tx, patientId))
                .call(() -> Db.update(tx, "DELETE FROM practitioner WHERE jhe_user_id = $1", id))
                .call(() -> accounts.delete(tx, id))))
                .replaceWithVoid();
    }

    /** Makes sure the caller's own account is in the read model (from its token), so that it can list itself. */
    private Uni<Void> rememberCaller(Caller caller) {
        return db.query("INSERT INTO account (id, email, first_name, last_name, user_type, is_superuser) "
                + "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING", caller.userId(),
                caller.user().email(), caller.user().firstName(), caller.user().lastName(),
                caller.user().userType(), caller.superuser()).replaceWithVoid();
    }

    public Uni<Page<UserResponse>> listUsers(Caller caller, String email, PageRequest page) {
        return rememberCaller(caller)
                .chain(() -> db.count("SELECT count(*) FROM account a WHERE " + VISIBLE
                        + " AND ($4::text IS NULL OR lower(a.email) = lower($4))", caller.userId(), caller.superuser(),
                        caller.practitionerId(), email))
                .flatMap(count -> {
                    PageRequest resolved = page.resolve(count);
                    return db.list("SELECT a.* FROM account a WHERE " + VISIBLE
                            + " AND ($4::text IS NULL OR lower(a.email) = lower($4)) ORDER BY a.last_name, a.id "
                            + "OFFSET $5 LIMIT $6", row -> row, caller.userId(), caller.superuser(),
                            caller.practitionerId(), email, resolved.offset(), resolved.limit())
                            .flatMap(rows -> withPatients(caller, rows.stream().map(r -> new Account(r.getLong("id"),
                                    r.getString("email"), r.getString("first_name"), r.getString("last_name"),
                                    r.getString("user_type"), r.getBoolean("is_superuser"))).toList()))
                            .map(users -> resolved.page(count, users));
                });
    }

    /** One user: oneself, or (superuser) anyone admin-service knows. */
    public Uni<UserResponse> user(Caller caller, long id) {
        if (id != caller.userId() && !caller.superuser()) {
            return Uni.createFrom().failure(Errors.forbidden());
        }
        return rememberCaller(caller)
                .chain(() -> db.one("SELECT * FROM account WHERE id = $1", row -> new Account(row.getLong("id"),
                        row.getString("email"), row.getString("first_name"), row.getString("last_name"),
                        row.getString("user_type"), row.getBoolean("is_superuser")), id))
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
        return rememberCaller(caller)
                .chain(() -> db.one("SELECT * FROM account a WHERE lower(a.email) = lower($1) "
                        + "AND ($2::boolean OR a.id = $3) ORDER BY a.id LIMIT 1",
                        row -> new Account(row.getLong("id"), row.getString("email"), row.getString("first_name"),
                                row.getString("last_name"), row.getString("user_type"),
                                row.getBoolean("is_superuser")), email, mayLookUpAnyone, caller.userId()))
                .flatMap(account -> account == null ? Uni.createFrom().nullItem()
                        : withPatients(caller, List.of(account)).map(list -> list.get(0)));
    }

    /** Attaches the patient record of each account, when the caller may read it. */
    private Uni<List<UserResponse>> withPatients(Caller caller, List<Account> accounts) {
        if (accounts.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Long> userIds = accounts.stream().map(Account::id).toList();
        return db.list("SELECT pt.id, pt.jhe_user_id FROM patient pt WHERE pt.jhe_user_id = ANY($1) AND "
                + "(pt.jhe_user_id = $2 OR EXISTS (SELECT 1 FROM patient_organization pa "
                + "JOIN practitioner_organization m ON m.organization_id = pa.organization_id "
                + "WHERE pa.patient_id = pt.id AND m.practitioner_id = $3))",
                row -> Map.entry(row.getLong(1), row.getLong(0)), Db.ids(userIds), caller.userId(),
                caller.practitionerId())
                .flatMap(pairs -> {
                    Map<Long, Long> patientOfUser = new HashMap<>();
                    pairs.forEach(p -> patientOfUser.put(p.getKey(), p.getValue()));
                    return patients.findByIds(patientOfUser.values()).map(records -> {
                        Map<Long, PatientResponse> byId = new HashMap<>();
                        records.forEach(r -> byId.put(r.id(), r));
                        List<UserResponse> out = new ArrayList<>();
                        for (Account a : accounts) {
                            Long patientId = patientOfUser.get(a.id());
                            out.add(new UserResponse(a.id(), a.email(), a.firstName(), a.lastName(),
                                    patientId == null ? null : byId.get(patientId), a.userType(), a.superuser()));
                        }
                        return out;
                    });
                });
    }

    /**
     * {@code GET /api/v1/users/profile}: for a patient the PHI-stripped shape of the original; for everyone else
     * the original's fields plus the guide's {@code practitioner} object (docs/compatibility.md#response-shapes).
     */
    public Uni<Map<String, Object>> profile(Caller caller) {
        if (caller.isPatient()) {
            return patients.findById(caller.patientId()).map(p -> {
                Map<String, Object> nested = new LinkedHashMap<>();
                nested.put("id", p.id());
                nested.put("jheUserId", p.jheUserId());
                nested.put("identifiers", p.identifiers());
                nested.put("organizations", p.organizations());
                Map<String, Object> profile = new LinkedHashMap<>();
                profile.put("id", caller.userId());
                profile.put("patient", nested);
                profile.put("userType", "patient");
                profile.put("isSuperuser", false);
                return profile;
            });
        }
        Uni<Account> account = db.one("SELECT * FROM account WHERE id = $1", row -> new Account(row.getLong("id"),
                row.getString("email"), row.getString("first_name"), row.getString("last_name"),
                row.getString("user_type"), row.getBoolean("is_superuser")), caller.userId());
        Uni<JsonObject> settings = caller.practitionerId() == null ? Uni.createFrom().nullItem()
                : db.one("SELECT settings FROM practitioner WHERE id = $1", row -> (JsonObject) row.getJson(0),
                        caller.practitionerId());
        Uni<List<OrganizationResponse>> orgs = caller.practitionerId() == null ? Uni.createFrom().item(List.of())
                : organizations.listByPractitioner(caller.practitionerId());
        return Uni.combine().all().unis(account, settings, orgs).asTuple().map(t -> {
            Account known = t.getItem1();
            Map<String, Object> profile = new LinkedHashMap<>();
            profile.put("id", caller.userId());
            profile.put("email", known != null ? known.email() : caller.user().email());
            profile.put("firstName", known != null ? known.firstName() : caller.user().firstName());
            profile.put("lastName", known != null ? known.lastName() : caller.user().lastName());
            profile.put("patient", null);
            profile.put("userType", caller.user().userType() != null ? caller.user().userType()
                    : caller.isPractitioner() ? "practitioner" : null);
            profile.put("isSuperuser", caller.superuser());
            if (caller.practitionerId() != null) {
                profile.put("settings", t.getItem2() == null ? Map.of() : t.getItem2().getMap());
                Map<String, Object> practitioner = new LinkedHashMap<>();
                practitioner.put("id", caller.practitionerId());
                practitioner.put("jheUserId", caller.userId());
                practitioner.put("organizations", t.getItem3());
                profile.put("practitioner", practitioner);
            } else {
                profile.put("practitioner", null);
            }
            return profile;
        });
    }
}
