package org.jupyterhealth.exchange.identity.internal;

import java.util.List;

/**
 * {@code PUT /internal/accounts/passkey-requirements}: the accounts an organization requires to sign in with a
 * passkey, and those it no longer does ({@code reason} says whose requirement this is: "organization").
 */
public record PasskeyRequirementRequest(String reason, List<Long> required, List<Long> notRequired) {
}
