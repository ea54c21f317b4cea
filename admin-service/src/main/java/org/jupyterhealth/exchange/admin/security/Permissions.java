package org.jupyterhealth.exchange.admin.security;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

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

    private final CallerRepository callers;

    public Permissions(CallerRepository callers) {
        this.callers = callers;
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
        return callers.findRole(caller.practitionerId(), organizationId);
    }

    /** Whether a role (null: none) is one of these: the decision {@link #require} makes once the role is known. */
    public static boolean allows(String role, Set<String> roles) {
        return role != null && roles.contains(role);
    }

    /** Fails with 403 unless the caller's role in the organization is one of these. */
    public Uni<String> require(Caller caller, Long organizationId, Set<String> roles) {
        return role(caller, organizationId).invoke(role -> {
            if (!allows(role, roles)) {
                throw Errors.forbidden();
            }
        });
    }

    /** Whether the caller is a direct member (practitioner or patient) of the organization. */
    public Uni<Boolean> isMember(Caller caller, long organizationId) {
        return callers.isMember(caller.practitionerId(), caller.patientId(), organizationId);
    }

    /** Whether the caller (a practitioner) and the patient are direct members of one same organization. */
    public Uni<Boolean> sharesOrganizationWithPatient(Caller caller, long patientId) {
        if (caller.practitionerId() == null) {
            return Uni.createFrom().item(false);
        }
        return callers.sharesOrganization(caller.practitionerId(), patientId);
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
