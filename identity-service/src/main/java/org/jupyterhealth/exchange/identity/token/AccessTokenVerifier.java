package org.jupyterhealth.exchange.identity.token;

import java.security.Key;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.UnresolvableKeyException;
import org.jupyterhealth.exchange.common.security.JheClaims;
import org.jupyterhealth.exchange.identity.config.IdentityConfig;

import io.smallrye.mutiny.Uni;

/**
 * Verifies the access tokens this service signed, in-process (as Keycloak does for its own endpoints): RS256 only,
 * a published key by {@code kid}, our issuer and audience, not expired, and not revoked or forgotten in the token
 * record. Used by userinfo, introspection, revocation and the {@code /internal} endpoints.
 */
@ApplicationScoped
public class AccessTokenVerifier {
    /** A verified token: its claims and its record. */
    public record Verified(JwtClaims claims, UUID jti, AccessTokenRepository.Status status) {
        public String subject() {
            try {
                return claims.getSubject();
            } catch (MalformedClaimException e) {
                return null;
            }
        }

        public String claim(String name) {
            Object value = claims.getClaimValue(name);
            return value == null ? null : value.toString();
        }

        public List<String> scopes() {
            String scope = claim(JheClaims.SCOPE);
            return scope == null || scope.isBlank() ? List.of() : List.of(scope.trim().split("\\s+"));
        }

        public boolean isServiceToken() {
            return claim(JheClaims.SERVICE) != null;
        }
    }

    private final SigningKeys keys;
    private final AccessTokenRepository accessTokens;
    private final JwtConsumer consumer;
    private final JwtConsumer signatureOnly;

    public AccessTokenVerifier(SigningKeys keys, AccessTokenRepository accessTokens, IdentityConfig config) {
        this.keys = keys;
        this.accessTokens = accessTokens;
        this.consumer = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256)
                .setVerificationKeyResolver(this::resolve)
                .setExpectedIssuer(config.issuer())
                .setExpectedAudience(JheClaims.AUDIENCE)
                .setRequireExpirationTime()
                .setRequireSubject()
                .setRequireJwtId()
                .setAllowedClockSkewInSeconds(30)
                .build();
        this.signatureOnly = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256)
                .setVerificationKeyResolver(this::resolve)
                .setSkipAllDefaultValidators()
                .build();
    }

    /** The token when it is one of ours and currently active; null otherwise (never an exception). */
    public Uni<Verified> verifyActive(String token) {
        JwtClaims claims = parse(consumer, token);
        UUID jti = jti(claims);
        if (jti == null) {
            return Uni.createFrom().nullItem();
        }
        return accessTokens.findByJti(jti)
                .map(status -> status != null && status.active() ? new Verified(claims, jti, status) : null);
    }

    /** The jti of a token this service signed, expired or not; null when the signature does not verify. */
    public UUID signedJti(String token) {
        return jti(parse(signatureOnly, token));
    }

    private static JwtClaims parse(JwtConsumer consumer, String token) {
        if (token == null || token.length() > 16_384) {
            return null;
        }
        try {
            return consumer.processToClaims(token);
        } catch (InvalidJwtException e) {
            return null;
        }
    }

    private static UUID jti(JwtClaims claims) {
        if (claims == null) {
            return null;
        }
        try {
            return UUID.fromString(claims.getJwtId());
        } catch (MalformedClaimException | IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    private Key resolve(JsonWebSignature jws, List<JsonWebStructure> nesting) throws UnresolvableKeyException {
        String kid = jws.getKeyIdHeaderValue();
        for (SigningKeys.SigningKey key : keys.published()) {
            if (key.kid().equals(kid)) {
                return key.publicKey();
            }
        }
        throw new UnresolvableKeyException("unknown key id");
    }
}
