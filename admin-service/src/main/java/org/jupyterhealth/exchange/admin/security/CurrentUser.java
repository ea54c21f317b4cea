package org.jupyterhealth.exchange.admin.security;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jupyterhealth.exchange.common.security.JheClaims;

/** The caller, as its access token describes it. Roles in organizations are not in the token: ask the store. */
public record CurrentUser(long id, String email, String firstName, String lastName, String userType,
        boolean superuser, String clientId) {

    public static CurrentUser from(JsonWebToken token) {
        Object superuser = token.getClaim(JheClaims.IS_SUPERUSER);
        return new CurrentUser(
                Long.parseLong(token.getSubject()),
                token.getClaim(JheClaims.EMAIL),
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
