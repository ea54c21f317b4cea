package org.jupyterhealth.exchange.admin.setting;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.db.JsonText;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;
import org.jupyterhealth.exchange.admin.web.request.NonBlank;

/** The body of {@code PATCH /jhe_settings/{id}}: the value, and the key or type when given. */
@Schema(name = "SettingPatchRequest")
public record SettingPatch(
        @NonBlank String key,
        @Schema(enumeration = { "string", "int", "bool", "float", "json" }) String valueType,
        @Schema(required = true, implementation = Object.class) JsonText value) implements AdminRequest {
}
