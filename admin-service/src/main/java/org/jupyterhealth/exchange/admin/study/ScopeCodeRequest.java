package org.jupyterhealth.exchange.admin.study;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;

/** The body of {@code POST} and {@code DELETE /studies/{id}/scope_requests}: the data type asked for. */
@Schema(name = "ScopeCodeRequest")
public record ScopeCodeRequest(@Schema(required = true) Long scopeCodeId) implements AdminRequest {
}
