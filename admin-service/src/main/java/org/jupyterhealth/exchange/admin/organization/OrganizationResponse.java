package org.jupyterhealth.exchange.admin.organization;

import java.util.List;

/**
 * An organization (docs/compatibility.md#organizations): {@code children} is always present, filled only by the tree.
 */
public record OrganizationResponse(long id, String name, String type, Long partOf, String currentUserRole,
        List<OrganizationResponse> children) {

    public OrganizationResponse withChildren(List<OrganizationResponse> newChildren) {
        return new OrganizationResponse(id, name, type, partOf, currentUserRole, newChildren);
    }
}
