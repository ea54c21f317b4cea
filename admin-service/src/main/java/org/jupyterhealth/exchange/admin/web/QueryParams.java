package org.jupyterhealth.exchange.admin.web;

import java.util.List;
import java.util.regex.Pattern;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;

/**
 * Query parameters by their snake_case name, also found under their camelCase name (docs/compatibility.md#keys):
 * {@code organization_id} = {@code organizationId}. Ids that are not numbers are a 400 naming the parameter.
 */
public final class QueryParams {
    private static final Pattern PLAIN_ID = Pattern.compile("[0-9]{1,18}");

    private final MultivaluedMap<String, String> params;

    private QueryParams(MultivaluedMap<String, String> params) {
        this.params = params;
    }

    public static QueryParams of(UriInfo uri) {
        return new QueryParams(uri.getQueryParameters());
    }

    public String raw(String snakeName) {
        String value = params.getFirst(snakeName);
        if (value == null) {
            value = params.getFirst(Json.camel(snakeName));
        }
        return value;
    }

    public String string(String snakeName) {
        String value = raw(snakeName);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /**
     * A numeric id, or null when absent (or empty, or the UI's {@code undefined}/{@code null}); anything but plain
     * digits ({@code +7}, {@code -7}, {@code 7.0}, a number beyond the range of ids) is a 400 naming the parameter.
     */
    public Long id(String snakeName) {
        String value = string(snakeName);
        if (value == null || "undefined".equals(value) || "null".equals(value)) {
            return null;
        }
        if (!PLAIN_ID.matcher(value).matches()) {
            throw Errors.invalid(Json.camel(snakeName), Json.camel(snakeName) + " must be an integer.");
        }
        return Long.parseLong(value);
    }

    public boolean flag(String snakeName) {
        String value = string(snakeName);
        return value != null && List.of("true", "1", "yes", "on").contains(value.toLowerCase());
    }
}
