package org.jupyterhealth.exchange.identity.internal;

/** {@code POST /internal/accounts} and {@code PATCH /internal/accounts/{id}} bodies. */
public record AccountRequest(String email, String firstName, String lastName, String userType) {
}
