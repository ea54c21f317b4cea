package org.jupyterhealth.exchange.identity.oauth;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jose4j.jwt.MalformedClaimException;
import org.jupyterhealth.exchange.common.security.JheClaims;
import org.jupyterhealth.exchange.identity.client.ClientAuthenticator;
import org.jupyterhealth.exchange.identity.client.OAuthClient;
import org.jupyterhealth.exchange.identity.token.AccessTokenVerifier;
import org.jupyterhealth.exchange.identity.token.RandomTokens;
import org.jupyterhealth.exchange.identity.token.RefreshTokenRepository;
import org.jupyterhealth.exchange.identity.web.ClientAddress;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * Token introspection (RFC 7662), for confidential clients only. A client learns about the tokens issued to it;
 * the exchange's services may introspect any access token (§4: the server decides who may ask about what).
 * Anything else, and every token that is not active, is {@code {"active": false}}.
 */
@Path("/o/introspect")
@PermitAll
public class IntrospectionResource {
    private static final Map<String, Object> INACTIVE = Map.of("active", false);

    private final ClientAuthenticator clientAuthenticator;
    private final ClientAddress clientAddress;
    private final AccessTokenVerifier verifier;
    private final RefreshTokenRepository refreshTokens;

    public IntrospectionResource(ClientAuthenticator clientAuthenticator, AccessTokenVerifier verifier,
            RefreshTokenRepository refreshTokens, ClientAddress clientAddress) {
        this.clientAuthenticator = clientAuthenticator;
        this.clientAddress = clientAddress;
        this.verifier = verifier;
        this.refreshTokens = refreshTokens;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> introspect(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest http,
            String body) {
        return Uni.createFrom().deferred(() -> {
            TokenRequest request = FormRequests.parse(contentType, body, clientAddress.of(http));
            String token = request.require("token");
            return clientAuthenticator.authenticate(authorization, request).chain(client -> {
                if (!client.isConfidential()) {
                    throw OAuthException.invalidClient("Introspection needs a confidential client.",
                            authorization != null).reason("public client").client(client.clientId());
                }
                return describe(token, client);
            });
        })
                .onFailure(OAuthException.class).invoke(failure -> {
                    OAuthException e = (OAuthException) failure;
                    TokenAudit.refused("introspection", e.clientId(), e.userId(), e.error(), e.reason());
                })
                .map(answer -> Response.ok(answer).header(HttpHeaders.CACHE_CONTROL, "no-store").build());
    }

    private Uni<Map<String, Object>> describe(String token, OAuthClient client) {
        return verifier.verifyActive(token).chain(access -> {
            if (access != null) {
                boolean allowed = client.service() || access.status().clientPk() == client.id();
                return Uni.createFrom().item(allowed ? accessToken(access) : INACTIVE);
            }
            return refreshTokens.findByHash(RandomTokens.sha256Hex(token)).map(state -> {
                if (state == null || !state.current() || state.clientPk() != client.id()) {
                    return INACTIVE;
                }
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("active", true);
                answer.put("token_type", "refresh_token");
                answer.put("client_id", client.clientId());
                answer.put("scope", state.scope());
                answer.put("sub", Long.toString(state.userId()));
                answer.put("exp", state.expiresAt().getEpochSecond());
                return answer;
            });
        });
    }

    private static Map<String, Object> accessToken(AccessTokenVerifier.Verified access) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("active", true);
        answer.put("token_type", "Bearer");
        answer.put("scope", access.claim(JheClaims.SCOPE));
        answer.put("client_id", access.claim(JheClaims.CLIENT_ID));
        if (access.claim(JheClaims.EMAIL) != null) {
            answer.put("username", access.claim(JheClaims.EMAIL));
        }
        answer.put("sub", access.subject());
        try {
            answer.put("exp", access.claims().getExpirationTime().getValue());
            answer.put("iat", access.claims().getIssuedAt() == null ? null : access.claims().getIssuedAt().getValue());
            answer.put("iss", access.claims().getIssuer());
            answer.put("aud", JheClaims.AUDIENCE);
        } catch (MalformedClaimException e) {
            return INACTIVE;
        }
        answer.put("jti", access.jti().toString());
        return answer;
    }
}
