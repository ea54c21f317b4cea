package org.jupyterhealth.exchange.identity.client;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** An OAuth 2.0 client (the original's DOT Application): an app, a practitioner's automation, or a service. */
@Entity
@Table(name = "oauth_client")
public class OAuthClient {
    public static final String PUBLIC = "public";
    public static final String CONFIDENTIAL = "confidential";

    /** The application's primary key, which the admin API calls {@code clientId} in invitations and studies. */
    @Id
    @SequenceGenerator(name = "oauth_client_id", sequenceName = "oauth_client_seq", allocationSize = 1)
    @GeneratedValue(generator = "oauth_client_id")
    public Long id;

    /** The OAuth {@code client_id}. */
    @Column(name = "client_id", nullable = false, unique = true)
    public String clientId;

    /** SHA-256 of the client secret (secrets are random and long); null for public clients. */
    @Column(name = "client_secret_hash")
    public String clientSecretHash;

    @Column(nullable = false)
    public String name;

    /** {@code public} or {@code confidential} (RFC 6749 §2.1). */
    @Column(name = "client_type", nullable = false)
    public String clientType;

    /** Allowed grant types, space-separated. */
    @Column(name = "grant_types", nullable = false)
    public String grantTypes;

    /** Registered redirect URIs, space-separated; matched exactly. */
    @Column(name = "redirect_uris", nullable = false)
    public String redirectUris = "";

    /** First-party client: no consent screen. */
    @Column(name = "skip_authorization", nullable = false)
    public boolean skipAuthorization;

    /** The user a client-credentials token of this client acts as (a practitioner's automation client). */
    @Column(name = "owner_user_id")
    public Long ownerUserId;

    /** Patient invitation link template; the literal {@code CODE} is replaced by the invitation. */
    @Column(name = "invitation_url")
    public String invitationUrl;

    /** One of the exchange's own services: the only clients that may get the {@code internal} scope. */
    @Column(name = "is_service", nullable = false)
    public boolean service;

    @Column(nullable = false)
    public Instant created = Instant.now();

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
