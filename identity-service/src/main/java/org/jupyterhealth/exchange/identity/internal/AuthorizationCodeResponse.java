package org.jupyterhealth.exchange.identity.internal;

import java.time.Instant;

/** The code; {@code clientId} is the OAuth {@code client_id} the app sends with it to {@code /o/token}. */
public record AuthorizationCodeResponse(String code, String clientId, String redirectUri, Instant expiresAt) {
}
