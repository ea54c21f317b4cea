package org.jupyterhealth.exchange.identity.oauth;

import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jupyterhealth.exchange.identity.client.ClientAuthenticator;
import org.jupyterhealth.exchange.identity.client.OAuthClient;
import org.jupyterhealth.exchange.identity.token.AccessTokenRepository;
import org.jupyterhealth.exchange.identity.token.AccessTokenVerifier;
import org.jupyterhealth.exchange.identity.token.RandomTokens;
import org.jupyterhealth.exchange.identity.token.RefreshTokenRepository;
import org.jupyterhealth.exchange.identity.token.TokenRevocationService;
import org.jupyterhealth.exchange.identity.web.ClientAddress;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * Token revocation (RFC 7009) for access and refresh tokens, by the client they were issued to (public clients by
 * {@code client_id}, confidential ones with their secret). Revoking either token of a grant revokes the whole grant:
 * every access token and the refresh-token family issued in it, as Keycloak does. §2.1 requires this for a refresh
 * token and allows it for an access token; a client that revokes an access token is ending the session (signing
 * out), and a refresh token left usable would quietly bring it back. A revoked access token is refused by every
 * service within seconds although it is a JWT. An unknown, expired or already revoked token is answered 200 like
 * any other (§2.2).
 */
@Path("/o/revoke_token")
@PermitAll
public class RevocationResource {
    private final ClientAuthenticator clientAuthenticator;
    private final ClientAddress clientAddress;
    private final AccessTokenVerifier verifier;
    private final AccessTokenRepository accessTokens;
    private final RefreshTokenRepository refreshTokens;
    private final TokenRevocationService revocations;

    public RevocationResource(ClientAuthenticator clientAuthenticator, AccessTokenVerifier verifier,
            AccessTokenRepository accessTokens, RefreshTokenRepository refreshTokens,
            TokenRevocationService revocations, ClientAddress clientAddress) {
        this.clientAuthenticator = clientAuthenticator;
        this.clientAddress = clientAddress;
        this.verifier = verifier;
        this.accessTokens = accessTokens;
        this.refreshTokens = refreshTokens;
        this.revocations = revocations;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> revoke(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest http,
            String body) {
        return Uni.createFrom().deferred(() -> {
            TokenRequest request = FormRequests.parse(contentType, body, clientAddress.of(http));
            String token = request.require("token");
            return clientAuthenticator.authenticate(authorization, request)
                    .chain(client -> revoke(token, client));
        })
                .onFailure(OAuthException.class).invoke(failure -> {
                    OAuthException e = (OAuthException) failure;
                    TokenAudit.refused("revocation", e.clientId(), e.userId(), e.error(), e.reason());
                })
                .map(ignored -> Response.ok().header(HttpHeaders.CACHE_CONTROL, "no-store").build());
    }

    private Uni<Void> revoke(String token, OAuthClient client) {
        UUID jti = verifier.signedJti(token);
        if (jti != null) {
            return accessTokens.findByJti(jti).chain(status -> {
                if (status == null) {
                    return Uni.createFrom().voidItem();
                }
                checkOwner(status.clientPk(), client, status.userId());
                Uni<Integer> revoked = status.familyId() != null ? revocations.revokeFamily(status.familyId())
                        : revocations.revokeAccessToken(jti);
                return revoked
                        .invoke(count -> TokenAudit.revoked(client.clientId(), status.userId(), "access_token"))
                        .replaceWithVoid();
            });
        }
        return refreshTokens.findByHash(RandomTokens.sha256Hex(token)).chain(state -> {
            if (state == null) {
                return Uni.createFrom().voidItem();
            }
            checkOwner(state.clientPk(), client, state.userId());
            return revocations.revokeFamily(state.familyId())
                    .invoke(count -> TokenAudit.revoked(client.clientId(), state.userId(), "refresh_token"))
                    .replaceWithVoid();
        });
    }

    /** RFC 7009 §2.1: only the client the token was issued to may revoke it. */
    private static void checkOwner(long tokenClientPk, OAuthClient client, Long userId) {
        if (tokenClientPk != client.id()) {
            throw OAuthException.unauthorizedClient("The token was not issued to this client.")
                    .reason("token of another client").client(client.clientId()).user(userId);
        }
    }
}
