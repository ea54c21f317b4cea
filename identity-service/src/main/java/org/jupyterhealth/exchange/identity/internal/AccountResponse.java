package org.jupyterhealth.exchange.identity.internal;

import org.jupyterhealth.exchange.identity.account.JheUser;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An account as admin-service sees it (docs/internal-api.md). {@code created} is set only in the answer to a
 * registration: whether this call created the account (the one that may undo it) or found it.
 */
public record AccountResponse(long id, String email, String firstName, String lastName, String userType,
        boolean isSuperuser, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean created) {

    static AccountResponse of(JheUser user) {
        return of(user, null);
    }

    static AccountResponse of(JheUser user, Boolean created) {
        return new AccountResponse(user.id(), user.email(), user.firstName(), user.lastName(), user.userType(),
                user.superuser(), created);
    }
}
