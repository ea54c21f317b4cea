package org.jupyterhealth.exchange.identity.token;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.common.security.JheClaims;
import org.jupyterhealth.exchange.identity.account.JheUser;
import org.jupyterhealth.exchange.identity.config.IdentityConfig;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Signs every token the exchange issues: RS256 access tokens with the claims of
 * docs/architecture.md#identity-and-tokens, and OpenID Connect ID tokens. An RSA-2048 signature costs well under a
 * millisecond of CPU, so it is done where the grant completes.
 */
@ApplicationScoped
public class TokenIssuer {
    /** The only scope of service-to-service tokens, granted to no other client. */
    public static final String INTERNAL_SCOPE = "internal";

    /** A signed access token and what it grants. */
    public record IssuedToken(String value, UUID jti, long expiresIn, String scope, Instant expiresAt) {
    }

    private final IdentityConfig config;
    private final SigningKeys keys;

    public TokenIssuer(IdentityConfig config, SigningKeys keys) {
        this.config = config;
        this.keys = keys;
    }

    /** An access token for {@code user}, obtained through {@code clientId}. */
    public IssuedToken issueForUser(JheUser user, String clientId, String scope) {
        JwtClaimsBuilder claims = base(clientId, scope)
                .subject(String.valueOf(user.id()))
                .claim(JheClaims.EMAIL, user.email())
                .claim(JheClaims.IS_SUPERUSER, user.superuser());
        if (user.userType() != null) {
            claims.claim(JheClaims.USER_TYPE, user.userType());
        }
        if (user.firstName() != null && !user.firstName().isEmpty()) {
            claims.claim(JheClaims.GIVEN_NAME, user.firstName());
        }
        if (user.lastName() != null && !user.lastName().isEmpty()) {
            claims.claim(JheClaims.FAMILY_NAME, user.lastName());
        }
        return sign(claims, scope);
    }

    /**
     * A service-to-service token: {@code sub} and {@code service} are the service's client id (docs/internal-api.md).
     */
    public IssuedToken issueForService(String clientId) {
        JwtClaimsBuilder claims = base(clientId, INTERNAL_SCOPE)
                .subject(clientId)
                .claim(JheClaims.SERVICE, clientId);
        return sign(claims, INTERNAL_SCOPE);
    }

    /** An OpenID Connect ID token (OIDC Core §2) for {@code user}, addressed to {@code clientId}. */
    public String idToken(JheUser user, String clientId, String nonce, Instant authTime) {
        Instant now = Instant.now();
        JwtClaimsBuilder claims = Jwt.claims()
                .issuer(config.issuer())
                .subject(String.valueOf(user.id()))
                .audience(clientId)
                .claim("azp", clientId)
                .issuedAt(now)
                .expiresAt(now.plus(config.idTokenLifetime()))
                .claim(JheClaims.EMAIL, user.email())
                .claim("email_verified", user.emailVerified());
        if (authTime != null) {
            claims.claim("auth_time", authTime.getEpochSecond());
        }
        if (nonce != null) {
            claims.claim("nonce", nonce);
        }
        if (user.firstName() != null && !user.firstName().isEmpty()) {
            claims.claim(JheClaims.GIVEN_NAME, user.firstName());
        }
        if (user.lastName() != null && !user.lastName().isEmpty()) {
            claims.claim(JheClaims.FAMILY_NAME, user.lastName());
        }
        SigningKeys.SigningKey key = keys.current();
        return claims.jws().algorithm(SignatureAlgorithm.RS256).keyId(key.kid()).sign(key.privateKey());
    }

    private JwtClaimsBuilder base(String clientId, String scope) {
        return Jwt.claims()
                .issuer(config.issuer())
                .audience(JheClaims.AUDIENCE)
                .claim(JheClaims.CLIENT_ID, clientId)
                .claim(JheClaims.SCOPE, scope);
    }

    private IssuedToken sign(JwtClaimsBuilder claims, String scope) {
        long lifetime = config.accessTokenLifetime().toSeconds();
        Instant now = Instant.now();
        Instant expiresAt = now.plusSeconds(lifetime);
        UUID jti = UUID.randomUUID();
        SigningKeys.SigningKey key = keys.current();
        String token = claims
                .claim(JheClaims.JWT_ID, jti.toString())
                .issuedAt(now)
                .expiresAt(expiresAt)
                .jws()
                .algorithm(SignatureAlgorithm.RS256)
                .keyId(key.kid())
                .sign(key.privateKey());
        return new IssuedToken(token, jti, lifetime, scope, expiresAt);
    }
}
