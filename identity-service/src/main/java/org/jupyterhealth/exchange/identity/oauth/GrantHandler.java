package org.jupyterhealth.exchange.identity.oauth;

import org.jupyterhealth.exchange.identity.client.OAuthClient;

import io.smallrye.mutiny.Uni;

/**
 * One grant type of the token endpoint. The endpoint has already authenticated the client, checked that it is
 * allowed the grant, and that it is confidential when the grant needs one.
 */
public interface GrantHandler {

    /** The {@code grant_type} value this handler answers. */
    String grantType();

    /** Whether only confidential clients may use the grant ({@code unauthorized_client} for a public one). */
    default boolean confidentialClientsOnly() {
        return false;
    }

    Uni<TokenResponse> handle(TokenRequest request, OAuthClient client);
}
