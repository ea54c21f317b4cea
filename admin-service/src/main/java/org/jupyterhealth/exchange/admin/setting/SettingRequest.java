package org.jupyterhealth.exchange.admin.setting;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.db.JsonText;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;
import org.jupyterhealth.exchange.admin.web.request.Required;

/**
 * The body of {@code POST /jhe_settings} and {@code PUT /jhe_settings/{id}}: a replacement carries the key, as a
 * create does. The value is judged by its type ({@link SettingService}).
 */
@Schema(name = "SettingRequest")
public record SettingRequest(
        @Schema(required = true) @Required String key,
        @Schema(enumeration = { "string", "int", "bool", "float", "json" }) String valueType,
        @Schema(required = true, implementation = Object.class) JsonText value) implements AdminRequest {
}
