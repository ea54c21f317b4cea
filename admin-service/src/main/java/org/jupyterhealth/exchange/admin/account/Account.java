package org.jupyterhealth.exchange.admin.account;

import io.vertx.mutiny.sqlclient.Row;

/** An account as admin-service knows it (its read model of identity-service's users). */
public record Account(long id, String email, String firstName, String lastName, String userType,
        boolean superuser) {

    static Account from(Row row) {
        return new Account(row.getLong("id"), row.getString("email"), row.getString("first_name"),
                row.getString("last_name"), row.getString("user_type"), row.getBoolean("is_superuser"));
    }
}
