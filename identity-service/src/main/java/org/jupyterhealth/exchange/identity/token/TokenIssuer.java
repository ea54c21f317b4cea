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

/** Signs every access token the exchange issues: RS256 JWTs with the claims of ARCHITECTURE.md. */
@ApplicationScoped
public class TokenIssuer {

    /** A signed access token and what it grants. */
    public record IssuedToken(String value, String jti, long expiresIn, String scope, Instant expiresAt) {
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
                .subject(user.id.toString())
                .claim(JheClaims.EMAIL, user.email)
                .claim(JheClaims.IS_SUPERUSER, user.superuser);
        if (user.userType != null) {
            claims.claim(JheClaims.USER_TYPE, user.userType);
        }
        if (user.firstName != null && !user.firstName.isEmpty()) {
            claims.claim(JheClaims.GIVEN_NAME, user.firstName);
        }
        if (user.lastName != null && !user.lastName.isEmpty()) {
            claims.claim(JheClaims.FAMILY_NAME, user.lastName);
        }
        return sign(claims, scope);
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
        String jti = UUID.randomUUID().toString();
        SigningKeys.SigningKey key = keys.current();
        String token = claims
                .claim(JheClaims.JWT_ID, jti)
                .issuedAt(now)
                .expiresAt(expiresAt)
                .jws()
                .algorithm(SignatureAlgorithm.RS256)
                .keyId(key.kid())
                .sign(key.privateKey());
        return new IssuedToken(token, jti, lifetime, scope, expiresAt);
    }
}
