package org.jupyterhealth.exchange.admin.client;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;

/** The body of {@code POST} and {@code PATCH /practitioner_clients}: only the label is the caller's to choose. */
@Schema(name = "PractitionerClientRequest")
public record PractitionerClientRequest(String label) implements AdminRequest {
}
