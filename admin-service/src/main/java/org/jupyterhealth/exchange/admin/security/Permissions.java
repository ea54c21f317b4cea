package org.jupyterhealth.exchange.admin.security;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.web.Errors;

import io.smallrye.mutiny.Uni;

/**
 * The role model (docs/compatibility.md#permissions) with the holes of the original closed
 * (docs/compatibility.md#missing-permission-checks): a practitioner's role is its direct role in one organization
 * (manager, member or viewer; no inheritance along the tree); a superuser may administer everything.
 */
@ApplicationScoped
public class Permissions {
    public static final String SUPER_USER = "super_user";
    public static final String MANAGER = "manager";
    public static final String MEMBER = "member";
    public static final String VIEWER = "viewer";
    /** Roles that may change patients, studies and consents of an organization. */
    public static final Set<String> EDITORS = Set.of(SUPER_USER, MANAGER, MEMBER);
    /** Roles that may change an organization and its practitioners. */
    public static final Set<String> MANAGERS = Set.of(SUPER_USER, MANAGER);

    private final Db db;

    public Permissions(Db db) {
        this.db = db;
    }

    /** A superuser goes on; anyone else is refused (403) before anything is looked up. */
    public static Uni<Void> requireSuperuser(Caller caller) {
        return caller.superuser() ? Uni.createFrom().voidItem() : Uni.createFrom().failure(Errors.forbidden());
    }

    /** The caller's direct role in the organization, {@code super_user} for a superuser, null for none. */
    public Uni<String> role(Caller caller, Long organizationId) {
        if (caller.superuser()) {
            return Uni.createFrom().item(SUPER_USER);
        }
        if (organizationId == null || caller.practitionerId() == null) {
            return Uni.createFrom().nullItem();
        }
        return db.one("SELECT role FROM practitioner_organization WHERE practitioner_id = $1 AND organization_id = $2",
                row -> row.getString("role"), caller.practitionerId(), organizationId);
    }

    /** Fails with 403 unless the caller's role in the organization is one of these. */
    public Uni<String> require(Caller caller, Long organizationId, Set<String> roles) {
        return role(caller, organizationId).invoke(role -> {
            if (role == null || !roles.contains(role)) {
                throw Errors.forbidden();
            }
        });
    }

    /** Whether the caller is a direct member (practitioner or patient) of the organization. */
    public Uni<Boolean> isMember(Caller caller, long organizationId) {
        return db.one("SELECT EXISTS (SELECT 1 FROM practitioner_organization WHERE practitioner_id = $1 "
                + "AND organization_id = $3) OR EXISTS (SELECT 1 FROM patient_organization WHERE patient_id = $2 "
                + "AND organization_id = $3)", row -> row.getBoolean(0),
                caller.practitionerId(), caller.patientId(), organizationId);
    }

    /** Whether the caller (a practitioner) and the patient are direct members of one same organization. */
    public Uni<Boolean> sharesOrganizationWithPatient(Caller caller, long patientId) {
        if (caller.practitionerId() == null) {
            return Uni.createFrom().item(false);
        }
        return db.one("SELECT EXISTS (SELECT 1 FROM patient_organization pa JOIN practitioner_organization pr "
                + "ON pr.organization_id = pa.organization_id WHERE pa.patient_id = $1 AND pr.practitioner_id = $2)",
                row -> row.getBoolean(0), patientId, caller.practitionerId());
    }

    /**
     * Whether the caller may read the patient's record: the patient itself, or a practitioner sharing an
     * organization with it.
     */
    public Uni<Boolean> mayReadPatient(Caller caller, long patientId) {
        if (caller.patientId() != null && caller.patientId() == patientId) {
            return Uni.createFrom().item(true);
        }
        return sharesOrganizationWithPatient(caller, patientId);
    }
}
