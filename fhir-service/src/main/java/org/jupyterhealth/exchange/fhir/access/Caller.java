package org.jupyterhealth.exchange.fhir.access;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jupyterhealth.exchange.common.security.JheClaims;
import org.jupyterhealth.exchange.common.security.TokenClaims;

import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;

/**
 * The user a request is made for, as its access token names it. What the user may see is never read from the
 * token: admin-service decides.
 */
public record Caller(long userId, String userType, boolean superuser) {

    public static Caller from(JsonWebToken token) {
        long id;
        try {
            id = Long.parseLong(token.getSubject());
        } catch (RuntimeException e) {
            // a service's own token (subject = client id) names no user
            throw new AuthenticationException("The access token does not name a user.");
        }
        return new Caller(id, TokenClaims.text(token, JheClaims.USER_TYPE),
                Boolean.parseBoolean(TokenClaims.text(token, JheClaims.IS_SUPERUSER)));
    }

    public boolean isPatient() {
        return JheClaims.USER_TYPE_PATIENT.equals(userType);
    }
}
