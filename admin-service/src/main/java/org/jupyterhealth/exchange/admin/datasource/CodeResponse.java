package org.jupyterhealth.exchange.admin.datasource;

import io.vertx.mutiny.sqlclient.Row;

/** A data type (CodeableConcept): {@code {id, codingSystem, codingCode, text}}. */
public record CodeResponse(long id, String codingSystem, String codingCode, String text) {

    /** Columns of {@code codeable_concept c}. */
    public static final String COLUMNS = "c.id AS code_id, c.coding_system, c.coding_code, c.text AS code_text";

    public static CodeResponse from(Row row) {
        return new CodeResponse(row.getLong("code_id"), row.getString("coding_system"), row.getString("coding_code"),
                row.getString("code_text"));
    }
}
