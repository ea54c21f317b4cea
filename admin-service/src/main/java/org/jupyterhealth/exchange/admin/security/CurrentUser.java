package org.jupyterhealth.exchange.admin.security;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.common.security.JheClaims;
import org.jupyterhealth.exchange.common.security.TokenClaims;

/** The caller, as its access token describes it. Roles in organizations are not in the token: ask the store. */
public record CurrentUser(long id, String email, String firstName, String lastName, String userType,
        boolean superuser, String clientId) {

    /** The user of a user token; a service token (no numeric subject) may not use the user API: 403. */
    public static CurrentUser from(JsonWebToken token) {
        if (TokenClaims.value(token, JheClaims.SERVICE) != null) {
            throw Errors.forbidden();
        }
        long id;
        try {
            id = Long.parseLong(token.getSubject());
        } catch (RuntimeException e) {
            throw Errors.forbidden();
        }
        return new CurrentUser(
                id,
                stringClaim(token, JheClaims.EMAIL),
                stringClaim(token, JheClaims.GIVEN_NAME),
                stringClaim(token, JheClaims.FAMILY_NAME),
                TokenClaims.text(token, JheClaims.USER_TYPE),
                Boolean.parseBoolean(TokenClaims.text(token, JheClaims.IS_SUPERUSER)),
                TokenClaims.text(token, JheClaims.CLIENT_ID));
    }

    private static String stringClaim(JsonWebToken token, String name) {
        String value = TokenClaims.text(token, name);
        return value == null ? "" : value;
    }

    public boolean isPatient() {
        return JheClaims.USER_TYPE_PATIENT.equals(userType);
    }

    public boolean isPractitioner() {
        return JheClaims.USER_TYPE_PRACTITIONER.equals(userType);
    }
}
