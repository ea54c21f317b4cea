package org.jupyterhealth.exchange.admin.datasource;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;

/** The body of {@code POST} and {@code DELETE /data_sources/{id}/supported_scopes}: a data type's id. */
@Schema(name = "SupportedScopeRequest")
public record SupportedScopeRequest(@Schema(required = true) Long scopeCodeId) implements AdminRequest {
}
