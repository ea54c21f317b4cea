package org.jupyterhealth.exchange.identity.oauth;

import jakarta.ws.rs.core.MediaType;

/** The first guard of every form endpoint (token, revoke, introspect): the content type, then the parameters. */
final class FormRequests {
    private FormRequests() {
    }

    /** RFC 6749 §3.2, RFC 7009 §2.1, RFC 7662 §2.1: {@code application/x-www-form-urlencoded}, no repeats. */
    static TokenRequest parse(String contentType, String body, String clientAddress) {
        if (contentType == null || !contentType.toLowerCase().startsWith(MediaType.APPLICATION_FORM_URLENCODED)) {
            throw OAuthException.invalidRequest("Content-Type must be application/x-www-form-urlencoded.");
        }
        return TokenRequest.parse(body, clientAddress);
    }
}
