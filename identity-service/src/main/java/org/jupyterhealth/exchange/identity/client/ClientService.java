package org.jupyterhealth.exchange.identity.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.identity.account.JheUserRepository;
import org.jupyterhealth.exchange.identity.token.RandomTokens;
import org.jupyterhealth.exchange.identity.token.TokenRevocationService;
import org.jupyterhealth.exchange.identity.web.ConflictException;
import org.jupyterhealth.exchange.identity.web.NotFoundException;
import org.jupyterhealth.exchange.identity.web.ValidationException;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The OAuth clients admin-service manages (docs/internal-api.md): patient apps (public, authorization code) and
 * practitioners' automation clients (confidential, client credentials, acting as their owner). The exchange's own
 * service clients are registered from configuration only: they can neither be created, seen nor changed here.
 */
@ApplicationScoped
public class ClientService {
    static final Set<String> GRANTS = Set.of("authorization_code", "refresh_token", "client_credentials", "password");
    static final Set<String> RESERVED = Set.of("admin-service", "fhir-service", "ingest-service");
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._~-]{1,100}");

    /** What a new client is made of. */
    public record NewClient(String name, String clientId, String clientType, List<String> grantTypes,
            List<String> redirectUris, String invitationUrl, Long ownerUserId) {
    }

    /** A client just created, with its secret in the clear (returned only once). */
    public record Created(OAuthClient client, String secret) {
    }

    private final OAuthClientRepository clients;
    private final JheUserRepository users;
    private final TokenRevocationService revocations;
    private final Pool pool;

    public ClientService(OAuthClientRepository clients, JheUserRepository users,
            TokenRevocationService revocations, Pool pool) {
        this.clients = clients;
        this.users = users;
        this.revocations = revocations;
        this.pool = pool;
    }

    /**
     * Stores the client; a taken {@code clientId} is a conflict. The owner is checked and kept in the same
     * transaction, so that it cannot be deleted before its client is stored.
     */
    public Uni<Created> registerClient(NewClient request) {
        NewOAuthClient valid = validate(request);
        String secret = valid.isConfidential() ? RandomTokens.alphanumeric(32) : null;
        NewOAuthClient client = secret == null ? valid : valid.withSecretHash(ClientSecrets.hash(secret));
        return pool.withTransaction(tx -> {
            Uni<Void> owner = client.ownerUserId() == null ? Uni.createFrom().voidItem()
                    : users.lockExisting(tx, client.ownerUserId()).invoke(exists -> {
                        if (!exists) {
                            throw new ValidationException("ownerUserId", "No account has this id.");
                        }
                    }).replaceWithVoid();
            return owner.chain(() -> clients.insert(tx, client));
        }).map(saved -> {
            if (saved == null) {
                throw new ConflictException("A client with this clientId exists.");
            }
            return new Created(saved, secret);
        });
    }

    public Uni<OAuthClient> findClient(long id) {
        return clients.findById(id).map(client -> {
            if (client == null || client.service()) {
                throw new NotFoundException();
            }
            return client;
        });
    }

    public Uni<List<OAuthClient>> listClients(List<Long> ids) {
        return ids.isEmpty() ? Uni.createFrom().item(List.of()) : clients.listByIds(ids);
    }

    /** Renames the client or changes its invitation link; absent values are left as they are. */
    public Uni<OAuthClient> updateClient(long id, String name, String invitationUrl) {
        if (name != null) {
            validName(name);
        }
        if (invitationUrl != null) {
            validUrl("invitationUrl", invitationUrl);
        }
        return clients.update(id, name, invitationUrl).map(client -> {
            if (client == null) {
                throw new NotFoundException();
            }
            return client;
        });
    }

    /** Revokes every token issued to the client, then deletes it. */
    public Uni<Void> deleteClient(long id) {
        return findClient(id)
                .chain(client -> revocations.revokeClient(id))
                .chain(() -> clients.deleteById(id))
                .replaceWithVoid();
    }

    /** The client the request describes, without its secret yet. */
    private static NewOAuthClient validate(NewClient request) {
        if (request == null) {
            throw new ValidationException("name", "This field is required.");
        }
        validName(request.name());
        if (!OAuthClient.PUBLIC.equals(request.clientType()) && !OAuthClient.CONFIDENTIAL.equals(request.clientType())) {
            throw new ValidationException("clientType", "Must be public or confidential.");
        }
        boolean confidential = OAuthClient.CONFIDENTIAL.equals(request.clientType());
        String clientId;
        if (request.clientId() == null) {
            clientId = RandomTokens.alphanumeric(16);
        } else if (!CLIENT_ID.matcher(request.clientId()).matches()) {
            throw new ValidationException("clientId", "Use 1 to 100 letters, digits, '.', '_', '~' or '-'.");
        } else if (RESERVED.contains(request.clientId())) {
            throw new ConflictException("A client with this clientId exists.");
        } else {
            clientId = request.clientId();
        }
        Set<String> grants = new LinkedHashSet<>(request.grantTypes() == null ? List.of() : request.grantTypes());
        if (grants.isEmpty() || !GRANTS.containsAll(grants)) {
            throw new ValidationException("grantTypes",
                    "Choose among authorization_code, refresh_token, client_credentials and password.");
        }
        if (grants.contains("client_credentials") && !confidential) {
            throw new ValidationException("grantTypes", "client_credentials needs a confidential client.");
        }
        if (request.ownerUserId() != null && !grants.equals(Set.of("client_credentials"))) {
            throw new ValidationException("ownerUserId",
                    "Only a client_credentials client acts as its owner.");
        }
        List<String> uris = request.redirectUris() == null ? List.of() : request.redirectUris();
        for (String uri : uris) {
            validRedirectUri(uri);
        }
        if (grants.contains("authorization_code") && uris.isEmpty()) {
            throw new ValidationException("redirectUris", "The authorization_code grant needs a redirect URI.");
        }
        String invitationUrl = null;
        if (request.invitationUrl() != null && !request.invitationUrl().isEmpty()) {
            validUrl("invitationUrl", request.invitationUrl());
            invitationUrl = request.invitationUrl();
        }
        return new NewOAuthClient(clientId, null, request.name(), request.clientType(), String.join(" ", grants),
                String.join(" ", new LinkedHashSet<>(uris)), request.ownerUserId(), invitationUrl);
    }

    private static void validName(String name) {
        if (name == null || name.isBlank()) {
            throw new ValidationException("name", "This field is required.");
        }
        if (name.length() > 255) {
            throw new ValidationException("name", "Ensure this field has no more than 255 characters.");
        }
    }

    /** RFC 6749 §3.1.2: absolute, no fragment; custom schemes are allowed for mobile apps (RFC 8252 §7.1). */
    private static void validRedirectUri(String uri) {
        try {
            URI parsed = new URI(uri);
            if (!parsed.isAbsolute() || parsed.getRawFragment() != null || uri.length() > 2000
                    || uri.chars().anyMatch(Character::isWhitespace)) {
                throw new ValidationException("redirectUris", "Each redirect URI must be absolute, without fragment.");
            }
        } catch (URISyntaxException | NullPointerException e) {
            throw new ValidationException("redirectUris", "Each redirect URI must be absolute, without fragment.");
        }
    }

    private static void validUrl(String field, String url) {
        try {
            URI parsed = new URI(url);
            if (!parsed.isAbsolute() || url.length() > 2000) {
                throw new ValidationException(field, "Enter a valid URL.");
            }
        } catch (URISyntaxException e) {
            throw new ValidationException(field, "Enter a valid URL.");
        }
    }
}
