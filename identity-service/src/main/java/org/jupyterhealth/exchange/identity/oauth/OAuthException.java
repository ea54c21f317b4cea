package org.jupyterhealth.exchange.identity.oauth;

/**
 * A refusal at the token endpoint, answered as RFC 6749 §5.2 {@code {"error", "error_description"}}.
 * The description is for developers: it never contains a secret, a token or a password.
 */
public class OAuthException extends RuntimeException {
    private final String error;
    private final int status;
    private final boolean basicChallenge;

    private OAuthException(String error, String description, int status, boolean basicChallenge) {
        super(description, null, false, false);
        this.error = error;
        this.status = status;
        this.basicChallenge = basicChallenge;
    }

    public static OAuthException invalidRequest(String description) {
        return new OAuthException("invalid_request", description, 400, false);
    }

    /** RFC 6749 §5.2: 401, with a Basic challenge when the client tried HTTP Basic. */
    public static OAuthException invalidClient(String description, boolean usedBasic) {
        return new OAuthException("invalid_client", description, 401, usedBasic);
    }

    public static OAuthException invalidGrant(String description) {
        return new OAuthException("invalid_grant", description, 400, false);
    }

    public static OAuthException unauthorizedClient(String description) {
        return new OAuthException("unauthorized_client", description, 400, false);
    }

    public static OAuthException unsupportedGrantType(String description) {
        return new OAuthException("unsupported_grant_type", description, 400, false);
    }

    public static OAuthException invalidScope(String description) {
        return new OAuthException("invalid_scope", description, 400, false);
    }

    public String error() {
        return error;
    }

    public int status() {
        return status;
    }

    public boolean basicChallenge() {
        return basicChallenge;
    }
}
