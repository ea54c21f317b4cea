package org.jupyterhealth.exchange.admin.study;

import io.vertx.mutiny.sqlclient.Row;

/**
 * A study (docs/compatibility.md#studies): {@code organization} is an object, as the real client reads it, with
 * {@code organizationId} added for clients written from the guide (docs/compatibility.md#response-shapes).
 */
public record StudyResponse(long id, String name, String description, OrganizationRef organization,
        long organizationId, String iconUrl) {

    public record OrganizationRef(long id, String name, String type) {
    }

    /** Columns: the study as {@code s}, its organization as {@code o}. */
    public static final String COLUMNS = "s.id, s.name, s.description, s.icon_url, o.id AS organization_id, "
            + "o.name AS organization_name, o.type AS organization_type";

    public static StudyResponse from(Row row) {
        long organizationId = row.getLong("organization_id");
        return new StudyResponse(row.getLong("id"), row.getString("name"), row.getString("description"),
                new OrganizationRef(organizationId, row.getString("organization_name"),
                        row.getString("organization_type")),
                organizationId, row.getString("icon_url"));
    }
}
