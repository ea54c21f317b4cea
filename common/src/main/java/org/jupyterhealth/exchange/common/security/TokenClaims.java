package org.jupyterhealth.exchange.common.security;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.arc.ClientProxy;
import io.quarkus.oidc.runtime.OidcJwtCallerPrincipal;

/**
 * Reads the claims of a verified access token. {@link JsonWebToken#getClaim(String)} of SmallRye JWT creates, fills
 * and catches an {@code IllegalArgumentException} for every claim name outside MicroProfile JWT's {@code Claims}
 * (ours: {@code user_type}, {@code is_superuser}, {@code service}, {@code client_id}), and every request reads them:
 * an exception per claim per request. The OIDC principal holds the claims it parsed; they are read from there, as the
 * same values.
 */
public final class TokenClaims {

    private TokenClaims() {
    }

    /** The claim's value (a String, Boolean, Long, List or Map, as the token carries it), or null when absent. */
    public static Object value(JsonWebToken token, String name) {
        JsonWebToken principal = ClientProxy.unwrap(token);
        if (principal instanceof OidcJwtCallerPrincipal oidc) {
            return oidc.getClaims().getClaimValue(name);
        }
        return token.getClaim(name);
    }

    /** The claim's value as text, or null when absent. */
    public static String text(JsonWebToken token, String name) {
        Object value = value(token, name);
        return value == null ? null : value.toString();
    }
}
