package org.jupyterhealth.exchange.identity.oauth;

import org.jupyterhealth.exchange.identity.client.OAuthClient;

import io.smallrye.mutiny.Uni;

/** One grant type of the token endpoint. The endpoint has already authenticated the client. */
public interface GrantHandler {

    /** The {@code grant_type} value this handler answers. */
    String grantType();

    Uni<TokenResponse> handle(TokenRequest request, OAuthClient client);
}
