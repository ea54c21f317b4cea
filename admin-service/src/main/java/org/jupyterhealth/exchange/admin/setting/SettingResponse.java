package org.jupyterhealth.exchange.admin.setting;

import java.time.OffsetDateTime;

/**
 * A site setting (docs/compatibility.md#settings): {@code resolvedValue} is the value in its type (a string, a
 * number, a boolean, or the JSON value).
 */
public record SettingResponse(long id, String key, String valueType, Object resolvedValue,
        OffsetDateTime lastUpdated) {
}
