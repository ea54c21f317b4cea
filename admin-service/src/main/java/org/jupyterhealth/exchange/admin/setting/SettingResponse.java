package org.jupyterhealth.exchange.admin.setting;

import java.time.OffsetDateTime;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.db.JsonText;

/**
 * A site setting (docs/compatibility.md#settings): {@code resolvedValue} is the value in its type (a string, a
 * number, a boolean, or the JSON value).
 */
public record SettingResponse(long id, String key, String valueType,
        @Schema(implementation = Object.class) JsonText resolvedValue,
        OffsetDateTime lastUpdated) {
}
