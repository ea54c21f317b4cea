package org.jupyterhealth.exchange.admin.study;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;

/** The body of {@code POST} and {@code DELETE /studies/{id}/clients}: the patient app to link or unlink. */
@Schema(name = "ClientLinkRequest")
public record ClientLinkRequest(@Schema(required = true, description = "the client's number") Long clientId)
        implements AdminRequest {
}
