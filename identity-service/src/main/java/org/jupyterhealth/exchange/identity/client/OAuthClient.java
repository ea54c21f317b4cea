package org.jupyterhealth.exchange.identity.client;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * An OAuth 2.0 client (the original's DOT Application): an app, a practitioner's automation, or a service.
 *
 * @param id the application's primary key, which the admin API calls {@code clientId} in invitations and studies
 * @param clientId the OAuth {@code client_id}
 * @param clientSecretHash SHA-256 of the client secret (secrets are random and long); null for public clients
 * @param clientType {@code public} or {@code confidential} (RFC 6749 §2.1)
 * @param grantTypes allowed grant types, space-separated
 * @param redirectUris registered redirect URIs, space-separated; matched exactly
 * @param skipAuthorization first-party client: no consent screen
 * @param ownerUserId the user a client-credentials token of this client acts as (a practitioner's automation client)
 * @param invitationUrl patient invitation link template; the literal {@code CODE} is replaced by the invitation
 * @param service one of the exchange's own services: the only clients that may get the {@code internal} scope
 */
public record OAuthClient(long id, String clientId, String clientSecretHash, String name, String clientType,
        String grantTypes, String redirectUris, boolean skipAuthorization, Long ownerUserId, String invitationUrl,
        boolean service, Instant created) {
    public static final String PUBLIC = "public";
    public static final String CONFIDENTIAL = "confidential";

    public boolean isConfidential() {
        return CONFIDENTIAL.equals(clientType);
    }

    public boolean allowsGrant(String grantType) {
        return grantTypeList().contains(grantType);
    }

    public List<String> grantTypeList() {
        return Arrays.stream(grantTypes.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    /** RFC 6749 §3.1.2.3: a redirect URI is accepted only when it is registered, compared as a whole string. */
    public boolean hasRedirectUri(String uri) {
        return uri != null && redirectUriList().contains(uri);
    }

    public List<String> redirectUriList() {
        return Arrays.stream(redirectUris.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }
}
