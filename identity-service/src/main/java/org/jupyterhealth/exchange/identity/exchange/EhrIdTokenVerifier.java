package org.jupyterhealth.exchange.identity.exchange;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.UnresolvableKeyException;
import org.jupyterhealth.exchange.identity.config.IdentityConfig;
import org.jupyterhealth.exchange.identity.oauth.OAuthException;

import io.smallrye.mutiny.Uni;

/**
 * Verifies an ID token issued by a trusted EHR for the token exchange: its {@code iss} is one of the trusted
 * issuers (read before anything is fetched, so that no other address is ever asked for keys), it is signed with
 * RS256, RS384 or ES384 by one of that issuer's published keys, it is addressed to the trusted audience, and
 * {@code exp} and {@code iat} are present and, like {@code nbf}, hold within the allowed clock skew. Every failure is
 * {@code invalid_grant} with a description that names the check, never the token.
 */
@ApplicationScoped
public class EhrIdTokenVerifier {
    /** Longer than any ID token an EHR issues; refused before it is parsed. */
    private static final int MAX_TOKEN_LENGTH = 16_384;

    private final EhrKeys keys;
    private final IdentityConfig.TokenExchange config;

    public EhrIdTokenVerifier(EhrKeys keys, IdentityConfig config) {
        this.keys = keys;
        this.config = config.tokenExchange();
    }

    /** The claims of a verified ID token, or a failed Uni with {@code invalid_grant}. */
    public Uni<JwtClaims> verify(String idToken) {
        return Uni.createFrom().deferred(() -> {
            String issuer = trustedIssuer(unverifiedIssuer(idToken));
            String audience = config.trustedAudience().filter(value -> !value.isBlank())
                    .orElseThrow(() -> OAuthException.invalidGrant("The exchange trusts no EHR audience.")
                            .reason("no trusted audience configured"));
            return keys.keys(issuer, false)
                    .chain(known -> {
                        try {
                            return Uni.createFrom().item(check(idToken, issuer, audience, known));
                        } catch (UnknownKeyException e) {
                            return keys.keys(issuer, true).map(fresh -> check(idToken, issuer, audience, fresh));
                        }
                    })
                    .onFailure(EhrKeys.UnavailableException.class).transform(failure -> OAuthException
                            .invalidGrant("The EHR's signing keys could not be fetched; try again later.")
                            .reason("EHR keys unavailable: " + failure.getMessage()))
                    .onFailure(UnknownKeyException.class).transform(failure -> OAuthException
                            .invalidGrant("The ID token is not signed by a key of its issuer.")
                            .reason("unknown EHR key"));
        });
    }

    /** The issuer a token names, before anything about it is believed. */
    private static String unverifiedIssuer(String idToken) {
        if (idToken.length() > MAX_TOKEN_LENGTH) {
            throw OAuthException.invalidGrant("The subject_token is not a valid ID token.").reason("token too long");
        }
        try {
            JwtContext context = new JwtConsumerBuilder().setSkipAllValidators().setDisableRequireSignature()
                    .setSkipSignatureVerification().build().process(idToken);
            if (context.getJoseObjects().size() != 1
                    || !(context.getJoseObjects().get(0) instanceof JsonWebSignature)) {
                throw new InvalidJwtException("not a signed JWT", List.of(), context);
            }
            String issuer = context.getJwtClaims().getIssuer();
            if (issuer == null) {
                throw OAuthException.invalidGrant("The ID token has no issuer.").reason("no iss");
            }
            return issuer;
        } catch (InvalidJwtException | MalformedClaimException e) {
            throw OAuthException.invalidGrant("The subject_token is not a valid ID token.").reason("not a JWS");
        }
    }

    /** The configured issuer that {@code issuer} names (a trailing slash does not count), or invalid_grant. */
    private String trustedIssuer(String issuer) {
        String wanted = withoutTrailingSlash(issuer);
        Optional<String> trusted = config.trustedIssuers().orElse(List.of()).stream()
                .map(EhrIdTokenVerifier::withoutTrailingSlash)
                .filter(wanted::equals)
                .findFirst();
        return trusted.orElseThrow(() -> OAuthException.invalidGrant("The ID token's issuer is not trusted.")
                .reason("untrusted issuer"));
    }

    private JwtClaims check(String idToken, String issuer, String audience, List<JsonWebKey> known) {
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384,
                        AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384)
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(known))
                .setExpectedIssuers(true, issuer, issuer + "/")
                .setExpectedAudience(audience)
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setAllowedClockSkewInSeconds((int) config.clockSkew().toSeconds())
                .build();
        try {
            return consumer.processToClaims(idToken);
        } catch (InvalidJwtException e) {
            if (e.getCause() instanceof UnresolvableKeyException) {
                throw new UnknownKeyException();
            }
            throw OAuthException.invalidGrant(description(e)).reason(description(e));
        }
    }

    private static String description(InvalidJwtException e) {
        if (e.hasExpired()) {
            return "The ID token has expired.";
        }
        if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID) || e.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_FUTURE)) {
            return "The ID token is not valid yet.";
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return "The ID token is not addressed to this exchange.";
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
            return "The ID token's signature is not valid.";
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING) || e.hasErrorCode(ErrorCodes.ISSUED_AT_MISSING)) {
            return "The ID token lacks exp or iat.";
        }
        return "The ID token is not valid.";
    }

    private static String withoutTrailingSlash(String value) {
        return IdentityConfig.stripTrailingSlash(value.trim());
    }

    /** The token names a key the issuer's known key set lacks. */
    private static final class UnknownKeyException extends RuntimeException {
        UnknownKeyException() {
            super(null, null, false, false);
        }
    }
}
