package org.jupyterhealth.exchange.identity.code;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.identity.account.JheUserRepository;
import org.jupyterhealth.exchange.identity.client.OAuthClient;
import org.jupyterhealth.exchange.identity.client.OAuthClientRepository;
import org.jupyterhealth.exchange.identity.config.IdentityConfig;
import org.jupyterhealth.exchange.identity.oauth.OAuthException;
import org.jupyterhealth.exchange.identity.oauth.Scopes;
import org.jupyterhealth.exchange.identity.web.ValidationException;

import io.smallrye.mutiny.Uni;

/**
 * Authorization codes issued to a patient without a login page, for admin-service's invitations
 * (docs/compatibility.md#invitations): the guide's invitation link (the configured static PKCE pair; no challenge in
 * the request) and the original's invitation redeem (challenge = S256(base64url(invitation token))). The patient's app
 * exchanges the code at {@code /o/token} like any other.
 */
@ApplicationScoped
public class InvitationCodeService {

    /** What admin-service asks for. */
    public record InvitationRequest(Long userId, Long clientPk, String codeChallenge, String codeChallengeMethod,
            String scope, String redirectUri, Long expiresInSeconds) {
    }

    /** The code, for which client and redirect URI. */
    public record Invitation(AuthorizationCodeService.IssuedCode code, OAuthClient client, String redirectUri) {
    }

    private final AuthorizationCodeService codes;
    private final JheUserRepository users;
    private final OAuthClientRepository clients;
    private final PatientInvitationPkce staticPkce;
    private final IdentityConfig config;

    public InvitationCodeService(AuthorizationCodeService codes, JheUserRepository users,
            OAuthClientRepository clients, PatientInvitationPkce staticPkce, IdentityConfig config) {
        this.codes = codes;
        this.users = users;
        this.clients = clients;
        this.staticPkce = staticPkce;
        this.config = config;
    }

    public Uni<Invitation> issueInvitationCode(InvitationRequest request) {
        if (request.userId() == null) {
            throw new ValidationException("userId", "This field is required.");
        }
        if (request.clientPk() == null) {
            throw new ValidationException("clientId", "This field is required.");
        }
        if (request.codeChallengeMethod() != null && !Pkce.S256.equals(request.codeChallengeMethod())) {
            throw new ValidationException("codeChallengeMethod", "Only S256 is supported.");
        }
        String challenge = request.codeChallenge() != null ? request.codeChallenge()
                : staticPkce.challenge().orElseThrow(() -> new ValidationException("codeChallenge",
                        "This field is required (no static PKCE pair is configured)."));
        if (!Pkce.isChallenge(challenge)) {
            throw new ValidationException("codeChallenge", "Must be a base64url S256 challenge (43 characters).");
        }
        String scope;
        try {
            scope = Scopes.grant(request.scope());
        } catch (OAuthException e) {
            throw new ValidationException("scope", e.getMessage());
        }
        Duration lifetime = request.expiresInSeconds() == null ? config.authorizationCodeLifetime()
                : Duration.ofSeconds(request.expiresInSeconds());
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(config.maxInvitationCodeLifetime()) > 0) {
            throw new ValidationException("expiresInSeconds",
                    "Must be between 1 and " + config.maxInvitationCodeLifetime().toSeconds() + ".");
        }
        return clients.findById(request.clientPk()).chain(client -> {
            if (client == null || client.service() || !client.allowsGrant("authorization_code")) {
                throw new ValidationException("clientId", "No client with this id uses authorization codes.");
            }
            if (request.redirectUri() != null && !client.hasRedirectUri(request.redirectUri())) {
                throw new ValidationException("redirectUri", "Not a redirect URI of this client.");
            }
            return users.findById(request.userId()).chain(user -> {
                if (user == null || !user.active()) {
                    throw new ValidationException("userId", "No active account has this id.");
                }
                String answered = request.redirectUri() != null ? request.redirectUri()
                        : client.redirectUriList().stream().findFirst().orElse(null);
                return codes.issueCode(client, user.id(), request.redirectUri(), scope, challenge, null, lifetime)
                        .map(code -> new Invitation(code, client, answered));
            });
        });
    }
}
