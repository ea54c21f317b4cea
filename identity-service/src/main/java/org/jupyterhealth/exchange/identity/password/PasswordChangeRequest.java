package org.jupyterhealth.exchange.identity.password;

import com.fasterxml.jackson.annotation.JsonAlias;

/** {@code POST /o/password} body, in camelCase or snake_case. */
public record PasswordChangeRequest(
        @JsonAlias("current_password") String currentPassword,
        @JsonAlias("new_password") String newPassword) {
}
