package org.jupyterhealth.exchange.identity.oauth;

import java.time.Duration;

/**
 * A refusal at the token endpoint, answered as RFC 6749 §5.2 {@code {"error", "error_description"}}.
 * The description is for developers: it never contains a secret, a token or a password.
 */
public class OAuthException extends RuntimeException {
    private final String error;
    private final int status;
    private final boolean basicChallenge;
    private final Duration retryAfter;
    private String reason;
    private Long userId;
    private String clientId;

    private OAuthException(String error, String description, int status, boolean basicChallenge,
            Duration retryAfter) {
        super(description, null, false, false);
        this.error = error;
        this.status = status;
        this.basicChallenge = basicChallenge;
        this.retryAfter = retryAfter;
    }

    private OAuthException(String error, String description, int status) {
        this(error, description, status, false, null);
    }

    public static OAuthException invalidRequest(String description) {
        return new OAuthException("invalid_request", description, 400);
    }

    /** RFC 6749 §5.2: 401, with a Basic challenge when the client tried HTTP Basic. */
    public static OAuthException invalidClient(String description, boolean usedBasic) {
        return new OAuthException("invalid_client", description, 401, usedBasic, null);
    }

    public static OAuthException invalidGrant(String description) {
        return new OAuthException("invalid_grant", description, 400);
    }

    public static OAuthException unauthorizedClient(String description) {
        return new OAuthException("unauthorized_client", description, 400);
    }

    public static OAuthException unsupportedGrantType(String description) {
        return new OAuthException("unsupported_grant_type", description, 400);
    }

    public static OAuthException invalidScope(String description) {
        return new OAuthException("invalid_scope", description, 400);
    }

    /**
     * RFC 7009 §2.2.1: the server does not revoke this type of token; at the token exchange, it does not accept this
     * type of subject token.
     */
    public static OAuthException unsupportedTokenType(String description) {
        return new OAuthException("unsupported_token_type", description, 400);
    }

    /** RFC 8693 §2.2.2: the token cannot be issued for the audience the client named. */
    public static OAuthException invalidTarget(String description) {
        return new OAuthException("invalid_target", description, 400);
    }

    /** Too many failed sign-ins: 429 with {@code Retry-After} (RFC 6585 §4). */
    public static OAuthException tooManyAttempts(Duration retryAfter) {
        return new OAuthException("temporarily_unavailable",
                "Too many failed sign-in attempts. Try again later.", 429, false, retryAfter);
    }

    /**
     * Too many failed client authentications for this client id or from this address: 429 with
     * {@code Retry-After}. RFC 6749 §5.2 has no error code for throttling; {@code temporarily_unavailable} is the
     * one §4.1.2.1 defines for the same situation at the authorization endpoint, and clients that do not know it
     * still see the status and {@code Retry-After} of RFC 6585 §4. {@code invalid_client} would have them give up
     * on credentials that may be right.
     */
    public static OAuthException tooManyClientFailures(Duration retryAfter) {
        return new OAuthException("temporarily_unavailable",
                "Too many failed client authentication attempts. Try again later.", 429, false, retryAfter);
    }

    /** The reason written to the audit log (never a secret); defaults to the description. */
    public OAuthException reason(String reason) {
        this.reason = reason;
        return this;
    }

    /** The account concerned, for the audit log. */
    public OAuthException user(Long userId) {
        this.userId = userId;
        return this;
    }

    /** The client concerned, for the audit log. */
    public OAuthException client(String clientId) {
        this.clientId = clientId;
        return this;
    }

    public String reason() {
        return reason != null ? reason : getMessage();
    }

    public Long userId() {
        return userId;
    }

    public String clientId() {
        return clientId;
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

    /** For 429: how long to wait; null otherwise. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
