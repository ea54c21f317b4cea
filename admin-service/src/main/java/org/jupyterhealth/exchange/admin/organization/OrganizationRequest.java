package org.jupyterhealth.exchange.admin.organization;

import java.util.Optional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;
import org.jupyterhealth.exchange.admin.web.request.Required;

/**
 * The body of {@code POST /organizations} and {@code PUT /organizations/{id}}: a replacement carries what a create
 * needs. {@code partOf} absent keeps an organization where it is; given, also as {@code null}, it moves it.
 */
@Schema(name = "OrganizationRequest")
public record OrganizationRequest(
        @Schema(required = true) @Required String name,
        @Schema(required = true, description = "one of GET /api/v1/organizations/types") @Required
        @OrganizationType String type,
        @Schema(implementation = Long.class, description = "parent organization; none or 0 (ROOT) for top level")
        Optional<Long> partOf,
        @Schema(description = "whether the organization's practitioners must sign in with a passkey; superusers only"
                + " change it; absent leaves it as it is")
        Boolean requirePasskey) implements AdminRequest {
}
