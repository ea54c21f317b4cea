package org.jupyterhealth.exchange.identity.internal;

import org.jupyterhealth.exchange.identity.account.JheUser;

/** An account as admin-service sees it (internal-api.md). */
public record AccountResponse(long id, String email, String firstName, String lastName, String userType,
        boolean isSuperuser) {

    static AccountResponse of(JheUser user) {
        return new AccountResponse(user.id, user.email, user.firstName, user.lastName, user.userType, user.superuser);
    }
}
