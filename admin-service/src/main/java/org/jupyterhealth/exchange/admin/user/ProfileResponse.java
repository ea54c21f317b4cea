package org.jupyterhealth.exchange.admin.user;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code GET /api/v1/users/profile} for a practitioner or an administrator (behaviour.md §2.2). */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ProfileResponse(long id, String email, String firstName, String lastName, Object patient,
        String userType, boolean isSuperuser) {
}
