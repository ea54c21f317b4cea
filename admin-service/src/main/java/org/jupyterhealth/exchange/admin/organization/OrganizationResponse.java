package org.jupyterhealth.exchange.admin.organization;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An organization (docs/compatibility.md#organizations): {@code children} is always present, filled only by the tree.
 * {@code requirePasskey} (its staff sign in with a passkey) is given where the organization itself is answered, and
 * left out where it is only listed inside a patient or practitioner.
 */
public record OrganizationResponse(long id, String name, String type, Long partOf, String currentUserRole,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean requirePasskey, List<OrganizationResponse> children) {

    /** An organization as a patient's or practitioner's membership lists it. */
    public OrganizationResponse(long id, String name, String type, Long partOf, String currentUserRole,
            List<OrganizationResponse> children) {
        this(id, name, type, partOf, currentUserRole, null, children);
    }

    public OrganizationResponse withChildren(List<OrganizationResponse> newChildren) {
        return new OrganizationResponse(id, name, type, partOf, currentUserRole, requirePasskey, newChildren);
    }
}
