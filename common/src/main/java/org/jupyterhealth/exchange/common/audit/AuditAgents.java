package org.jupyterhealth.exchange.common.audit;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jupyterhealth.exchange.common.security.JheClaims;
import org.jupyterhealth.exchange.common.security.TokenClaims;

/**
 * Who made a request and from where, as an audit event records them: the user and client its verified token names
 * (never the token), and the client's address.
 */
public final class AuditAgents {
    private AuditAgents() {
    }

    /** The user id the token names; null without a token, or for a service's own token (its subject is no user). */
    public static Long userId(JsonWebToken token) {
        try {
            return token == null || token.getSubject() == null ? null : Long.valueOf(token.getSubject());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code superuser}, {@code patient}, {@code practitioner} or {@code service}; null without a token. */
    public static String role(JsonWebToken token) {
        if (token == null || token.getSubject() == null) {
            return null;
        }
        if (Boolean.parseBoolean(TokenClaims.text(token, JheClaims.IS_SUPERUSER))) {
            return "superuser";
        }
        String type = TokenClaims.text(token, JheClaims.USER_TYPE);
        if (JheClaims.USER_TYPE_PATIENT.equals(type) || JheClaims.USER_TYPE_PRACTITIONER.equals(type)) {
            return type;
        }
        return userId(token) == null ? "service" : null;
    }

    /** The OAuth client the token was issued to. */
    public static String clientId(JsonWebToken token) {
        return token == null || token.getSubject() == null ? null : TokenClaims.text(token, JheClaims.CLIENT_ID);
    }

    /**
     * The client's address: the last of {@code X-Forwarded-For}, which the gateway sets to the address it saw (it
     * replaces a client's own unless it sits behind a trusted ingress), else the connection's.
     */
    public static String clientAddress(String forwardedFor, String connection) {
        if (forwardedFor != null && !forwardedFor.isBlank()) {
            String last = forwardedFor.substring(forwardedFor.lastIndexOf(',') + 1).trim();
            if (!last.isEmpty()) {
                return last;
            }
        }
        return connection;
    }
}
