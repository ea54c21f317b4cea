package org.jupyterhealth.exchange.identity.internal;

import java.util.List;

import org.jupyterhealth.exchange.identity.client.OAuthClient;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A client as admin-service sees it (docs/internal-api.md); the secret appears only in the answer to its creation. */
public record ClientResponse(long id, String clientId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String clientSecret, String name, String clientType,
        List<String> grantTypes, List<String> redirectUris, String invitationUrl, Long ownerUserId) {

    static ClientResponse of(OAuthClient client, String secret) {
        return new ClientResponse(client.id(), client.clientId(), secret, client.name(), client.clientType(),
                client.grantTypeList(), client.redirectUriList(), client.invitationUrl(), client.ownerUserId());
    }
}
