package org.jupyterhealth.exchange.identity.client;

/** A client about to be stored, its values checked: grant types and redirect URIs space-separated. */
public record NewOAuthClient(String clientId, String clientSecretHash, String name, String clientType,
        String grantTypes, String redirectUris, Long ownerUserId, String invitationUrl) {

    public boolean isConfidential() {
        return OAuthClient.CONFIDENTIAL.equals(clientType);
    }

    public NewOAuthClient withSecretHash(String hash) {
        return new NewOAuthClient(clientId, hash, name, clientType, grantTypes, redirectUris, ownerUserId,
                invitationUrl);
    }
}
