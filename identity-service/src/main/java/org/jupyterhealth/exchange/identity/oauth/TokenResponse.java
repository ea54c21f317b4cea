package org.jupyterhealth.exchange.identity.oauth;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A successful token response (RFC 6749 §5.1; {@code issued_token_type} of a token exchange, RFC 8693 §2.2.1). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenResponse(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("scope") String scope,
        @JsonProperty("refresh_token") String refreshToken,
        @JsonProperty("id_token") String idToken,
        @JsonProperty("issued_token_type") String issuedTokenType) {

    public TokenResponse(String accessToken, String tokenType, long expiresIn, String scope, String refreshToken,
            String idToken) {
        this(accessToken, tokenType, expiresIn, scope, refreshToken, idToken, null);
    }

    public static TokenResponse bearer(String accessToken, long expiresIn, String scope) {
        return new TokenResponse(accessToken, "Bearer", expiresIn, scope, null, null);
    }

    /** This response, saying what type of token it issued (RFC 8693 §2.2.1). */
    public TokenResponse issued(String tokenType) {
        return new TokenResponse(accessToken, this.tokenType, expiresIn, scope, refreshToken, idToken, tokenType);
    }
}
