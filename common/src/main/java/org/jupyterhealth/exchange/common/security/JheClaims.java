package org.jupyterhealth.exchange.common.security;

/** Names of the claims in the access tokens signed by identity-service (docs/architecture.md#identity-and-tokens). */
public final class JheClaims {
    public static final String SUBJECT = "sub";
    public static final String JWT_ID = "jti";
    public static final String SCOPE = "scope";
    public static final String CLIENT_ID = "client_id";
    public static final String EMAIL = "email";
    public static final String GIVEN_NAME = "given_name";
    public static final String FAMILY_NAME = "family_name";
    /** {@code practitioner}, {@code patient}, or absent. */
    public static final String USER_TYPE = "user_type";
    public static final String IS_SUPERUSER = "is_superuser";
    /** Present on service-to-service tokens: the calling service's name. */
    public static final String SERVICE = "service";

    /** Audience of every access token for the exchange's own APIs. */
    public static final String AUDIENCE = "jupyterhealth-exchange";

    public static final String USER_TYPE_PRACTITIONER = "practitioner";
    public static final String USER_TYPE_PATIENT = "patient";

    private JheClaims() {
    }
}
