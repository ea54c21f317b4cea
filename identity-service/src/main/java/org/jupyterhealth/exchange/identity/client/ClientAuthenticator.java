package org.jupyterhealth.exchange.identity.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.identity.account.LoginFailureRepository;
import org.jupyterhealth.exchange.identity.config.IdentityConfig;
import org.jupyterhealth.exchange.identity.oauth.OAuthException;
import org.jupyterhealth.exchange.identity.oauth.TokenRequest;
import org.jupyterhealth.exchange.identity.web.FormInput;

import io.smallrye.mutiny.Uni;

/**
 * Authenticates the client of a token, revocation or introspection request (RFC 6749 §2.3):
 * {@code client_secret_basic}, {@code client_secret_post}, or a public client identified by {@code client_id} alone.
 * <p>
 * Guessing is refused the way repeated failed sign-ins are: failures are counted per client id (existing or not)
 * and per client address, and once either is locked every attempt is refused with 429 until the lock ends, even
 * with the right secret, so that a lock tells a guesser nothing. A public client that presents only its id has
 * nothing to guess and is not slowed down by the count. The exchange's own service clients are counted by address
 * only, and their right secret is accepted even from a locked address: a lock on their id, or on the address they
 * share with others, would let anyone who can reach the token endpoint stop the exchange.
 */
@ApplicationScoped
public class ClientAuthenticator {
    private final OAuthClientRepository clients;
    private final LoginFailureRepository failures;
    private final IdentityConfig.BruteForce rules;

    public ClientAuthenticator(OAuthClientRepository clients, LoginFailureRepository failures,
            IdentityConfig config) {
        this.clients = clients;
        this.failures = failures;
        this.rules = config.bruteForce();
    }

    /** The presented credentials: from the Authorization header or the body, never both (RFC 6749 §2.3.1). */
    record Credentials(String clientId, String secret, boolean basic) {
    }

    /** The authenticated client, or {@code invalid_client}, or 429 while the client id or address is locked. */
    public Uni<OAuthClient> authenticate(String authorization, TokenRequest request) {
        Credentials credentials = credentials(authorization, request);
        return clients.findByClientId(credentials.clientId()).chain(client -> {
            if (client != null && !client.isConfidential() && credentials.secret() == null) {
                return Uni.createFrom().item(client);
            }
            if (client != null && client.service() && failure(client, credentials) == null) {
                // a service's secret is long and random, so there is nothing to guess; refusing it while its address
                // is locked would let anyone sharing that address (every process of a local run, a node's pods)
                // cut the services off from each other
                return Uni.createFrom().item(client);
            }
            List<LoginFailureRepository.Threshold> counted = counted(credentials, client, request.clientAddress());
            return failures.findLockedUntil(counted.stream().map(LoginFailureRepository.Threshold::subject).toList())
                    .chain(lockedUntil -> {
                        if (lockedUntil != null) {
                            return Uni.createFrom().failure(OAuthException
                                    .tooManyClientFailures(LoginFailureRepository.retryAfter(lockedUntil))
                                    .reason("client authentication locked").client(credentials.clientId()));
                        }
                        String failure = failure(client, credentials);
                        if (failure == null) {
                            return Uni.createFrom().item(client);
                        }
                        return failures.recordFailures(counted)
                                .chain(() -> Uni.createFrom().failure(refusal(credentials, failure)));
                    });
        });
    }

    /** Why the credentials do not authenticate the client; null when they do. */
    private static String failure(OAuthClient client, Credentials credentials) {
        if (client == null) {
            return "unknown client";
        }
        if (client.isConfidential() || credentials.secret() != null && client.clientSecretHash() != null) {
            return ClientSecrets.matches(credentials.secret(), client.clientSecretHash()) ? null
                    : "wrong client secret";
        }
        return null;
    }

    /** The counts a failure adds to: the client id's (not for the services' own clients) and the address's. */
    private List<LoginFailureRepository.Threshold> counted(Credentials credentials, OAuthClient client,
            String address) {
        LoginFailureRepository.Threshold byAddress = new LoginFailureRepository.Threshold(
                LoginFailureRepository.addressSubject(address), rules.maxAddressFailures(), rules.window(),
                rules.lockout());
        if (client != null && client.service()) {
            return List.of(byAddress);
        }
        return List.of(new LoginFailureRepository.Threshold(LoginFailureRepository.clientSubject(
                credentials.clientId()), rules.maxClientFailures(), rules.window(), rules.lockout()), byAddress);
    }

    private static OAuthException refusal(Credentials credentials, String reason) {
        return OAuthException.invalidClient("Client authentication failed.", credentials.basic())
                .reason(reason).client(credentials.clientId());
    }

    static Credentials credentials(String authorization, TokenRequest request) {
        String bodyId = request.get("client_id");
        String bodySecret = request.get("client_secret");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            if (bodySecret != null) {
                throw OAuthException.invalidRequest("Use only one client authentication method.");
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw OAuthException.invalidClient("Malformed Basic credentials.", true);
            }
            int colon = decoded.indexOf(':');
            if (colon < 1) {
                throw OAuthException.invalidClient("Malformed Basic credentials.", true);
            }
            // RFC 6749 §2.3.1: client id and secret are form-encoded before Basic encoding
            String id;
            String secret;
            try {
                id = FormInput.decodeComponent(decoded.substring(0, colon), "client_id");
                secret = FormInput.decodeComponent(decoded.substring(colon + 1), "client_secret");
            } catch (FormInput.MalformedException e) {
                throw OAuthException.invalidRequest("Basic credentials: " + e.getMessage());
            }
            if (bodyId != null && !bodyId.equals(id)) {
                throw OAuthException.invalidRequest("client_id does not match the Authorization header.");
            }
            return new Credentials(id, secret, true);
        }
        if (bodyId == null) {
            throw OAuthException.invalidClient("Client authentication failed: no client_id.", false);
        }
        return new Credentials(bodyId, bodySecret, false);
    }
}
