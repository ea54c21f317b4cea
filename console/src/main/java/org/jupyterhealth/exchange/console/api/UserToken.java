package org.jupyterhealth.exchange.console.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Puts the signed-in user's access token on the console's calls to the public APIs, as token propagation does (its
 * extension is not among the project's dependencies): the token comes from the session's identity on the server and
 * goes server to server only. A call made without a signed-in user carries no token, and the API refuses it.
 */
@ApplicationScoped
public class UserToken implements ClientHeadersFactory {

    @Inject
    CurrentIdentityAssociation identities;

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming,
            MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        SecurityIdentity identity = identities.getIdentity();
        AccessTokenCredential token = identity == null ? null : identity.getCredential(AccessTokenCredential.class);
        if (token != null && token.getToken() != null) {
            headers.putSingle("Authorization", "Bearer " + token.getToken());
        }
        return headers;
    }
}
