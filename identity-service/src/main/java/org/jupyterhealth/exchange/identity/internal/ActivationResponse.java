package org.jupyterhealth.exchange.identity.internal;

import java.time.Instant;

/** An activation link for admin-service to e-mail, and until when it works (docs/internal-api.md). */
public record ActivationResponse(String link, Instant expiresAt) {
}
