package org.jupyterhealth.exchange.admin.security;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.common.security.JheClaims;

/** The caller, as its access token describes it. Roles in organizations are not in the token: ask the store. */
public record CurrentUser(long id, String email, String firstName, String lastName, String userType,
        boolean superuser, String clientId) {

    /** The user of a user token; a service token (no numeric subject) may not use the user API: 403. */
    public static CurrentUser from(JsonWebToken token) {
        if (token.getClaim(JheClaims.SERVICE) != null) {
            throw Errors.forbidden();
        }
        long id;
        try {
            id = Long.parseLong(token.getSubject());
        } catch (RuntimeException e) {
            throw Errors.forbidden();
        }
        Object superuser = token.getClaim(JheClaims.IS_SUPERUSER);
        return new CurrentUser(
                id,
                stringClaim(token, JheClaims.EMAIL),
                stringClaim(token, JheClaims.GIVEN_NAME),
                stringClaim(token, JheClaims.FAMILY_NAME),
                token.getClaim(JheClaims.USER_TYPE),
                superuser != null && Boolean.parseBoolean(superuser.toString()),
                token.getClaim(JheClaims.CLIENT_ID));
    }

    private static String stringClaim(JsonWebToken token, String name) {
        Object value = token.getClaim(name);
        return value == null ? "" : value.toString();
    }

    public boolean isPatient() {
        return JheClaims.USER_TYPE_PATIENT.equals(userType);
    }

    public boolean isPractitioner() {
        return JheClaims.USER_TYPE_PRACTITIONER.equals(userType);
    }
}
