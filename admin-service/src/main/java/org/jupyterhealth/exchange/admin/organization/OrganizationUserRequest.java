package org.jupyterhealth.exchange.admin.organization;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.security.Permissions;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;
import org.jupyterhealth.exchange.admin.web.request.OneOf;

/**
 * The body of {@code POST /organizations/{id}/user} and {@code DELETE .../remove_user}. The role comes under the
 * original's spelling {@code organizationPartitionerRole}, its corrected spelling or {@code role}; each one given is
 * a role (an empty one is a 400, never read as the default), and the first given is the one that counts.
 */
@Schema(name = "OrganizationUserRequest")
public record OrganizationUserRequest(
        @Schema(required = true) Long jheUserId,
        @Schema(enumeration = { Permissions.MANAGER, Permissions.MEMBER, Permissions.VIEWER },
                description = "member when not given; on remove_user checked, not compared: the membership ends "
                        + "whatever its role")
        @OneOf({ Permissions.MANAGER, Permissions.MEMBER, Permissions.VIEWER }) String organizationPartitionerRole,
        @Schema(hidden = true)
        @OneOf({ Permissions.MANAGER, Permissions.MEMBER, Permissions.VIEWER }) String organizationPractitionerRole,
        @Schema(hidden = true)
        @OneOf({ Permissions.MANAGER, Permissions.MEMBER, Permissions.VIEWER }) String role)
        implements AdminRequest {

    /** The role asked for, or null when none is given. */
    public String requestedRole() {
        return organizationPartitionerRole != null ? organizationPartitionerRole
                : organizationPractitionerRole != null ? organizationPractitionerRole : role;
    }
}
