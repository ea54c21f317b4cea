package org.jupyterhealth.exchange.admin.organization;

import java.util.Optional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;
import org.jupyterhealth.exchange.admin.web.request.NonBlank;

/** The body of {@code PATCH /organizations/{id}}: what it names changes; a name it names may not be blank. */
@Schema(name = "OrganizationPatchRequest")
public record OrganizationPatch(
        @NonBlank(message = "This field is required.") String name,
        @Schema(description = "one of GET /api/v1/organizations/types") @OrganizationType String type,
        @Schema(implementation = Long.class, description = "parent organization; null or 0 (ROOT) for top level")
        Optional<Long> partOf,
        @Schema(description = "whether the organization's practitioners must sign in with a passkey; superusers only"
                + " change it; absent leaves it as it is")
        Boolean requirePasskey) implements AdminRequest {
}
