package org.jupyterhealth.exchange.identity.account;

import io.vertx.mutiny.sqlclient.Row;

/** Reads an account from a row of set-based SQL that selected {@link #COLUMNS} of {@code jhe_user u}. */
public final class UserRows {
    /** The account columns, aliased so that they do not clash with the joined table's. */
    public static final String COLUMNS = "u.id AS u_id, u.email AS u_email, u.email_verified AS u_email_verified, "
            + "u.first_name AS u_first_name, u.last_name AS u_last_name, u.user_type AS u_user_type, "
            + "u.is_superuser AS u_is_superuser, u.is_active AS u_is_active";

    private UserRows() {
    }

    /** The account with what a token says about it (no password hash). */
    public static JheUser from(Row row) {
        return from(row, null);
    }

    static JheUser from(Row row, String passwordHash) {
        return new JheUser(row.getLong("u_id"), row.getString("u_email"), row.getBoolean("u_email_verified"),
                passwordHash, row.getString("u_first_name"), row.getString("u_last_name"),
                row.getString("u_user_type"), row.getBoolean("u_is_superuser"), row.getBoolean("u_is_active"));
    }
}
