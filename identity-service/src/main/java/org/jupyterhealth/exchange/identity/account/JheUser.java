package org.jupyterhealth.exchange.identity.account;

/**
 * A person who can sign in: practitioner, patient, or administrator (JHE's JheUser).
 *
 * @param passwordHash argon2id hash in PHC format; null for accounts that cannot sign in with a password, and in the
 *        accounts read beside a token or a code, where it is not selected
 * @param userType {@code practitioner}, {@code patient}, or null
 */
public record JheUser(long id, String email, boolean emailVerified, String passwordHash, String firstName,
        String lastName, String userType, boolean superuser, boolean active) {
}
