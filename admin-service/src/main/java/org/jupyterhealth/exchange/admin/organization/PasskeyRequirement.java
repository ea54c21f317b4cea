package org.jupyterhealth.exchange.admin.organization;

/** Whether an organization of the account's practitioner requires it to sign in with a passkey. */
public record PasskeyRequirement(long userId, boolean required) {
}
