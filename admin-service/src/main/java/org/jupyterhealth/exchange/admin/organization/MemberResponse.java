package org.jupyterhealth.exchange.admin.organization;

/** A practitioner of an organization ({@code GET /organizations/{id}/users}): {@code id} is its account's. */
public record MemberResponse(long id, String email, String firstName, String lastName, String role) {
}
