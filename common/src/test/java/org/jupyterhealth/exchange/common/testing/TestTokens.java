package org.jupyterhealth.exchange.common.testing;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import javax.crypto.spec.SecretKeySpec;

import org.jupyterhealth.exchange.common.security.JheClaims;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Access tokens for tests, signed with a test key that {@link JwksTestResource} publishes: valid ones for any
 * persona, and the bad ones every service must refuse (expired, wrong issuer, wrong audience, foreign key,
 * tampered, {@code alg: none}, HS256).
 */
public final class TestTokens {
    /** The issuer the services expect by default ({@code quarkus.oidc.token.issuer}). */
    public static final String ISSUER = "http://localhost:8000/o";
    public static final String KID = "test-key";

    private static final KeyPair KEYS = generate();
    private static final KeyPair FOREIGN_KEYS = generate();

    private TestTokens() {
    }

    public static RSAPublicKey publicKey() {
        return (RSAPublicKey) KEYS.getPublic();
    }

    /** Claims of a valid one-hour token for user {@code id}. */
    public static JwtClaimsBuilder claims(long id, String email, String userType, boolean superuser) {
        Instant now = Instant.now();
        JwtClaimsBuilder claims = Jwt.claims()
                .issuer(ISSUER)
                .audience(JheClaims.AUDIENCE)
                .subject(Long.toString(id))
                .issuedAt(now)
                .expiresAt(now.plusSeconds(3600))
                .claim(JheClaims.JWT_ID, UUID.randomUUID().toString())
                .claim(JheClaims.CLIENT_ID, "test-client")
                .claim(JheClaims.SCOPE, "openid email read write")
                .claim(JheClaims.EMAIL, email)
                .claim(JheClaims.IS_SUPERUSER, superuser);
        if (userType != null) {
            claims.claim(JheClaims.USER_TYPE, userType);
        }
        return claims;
    }

    public static String sign(JwtClaimsBuilder claims) {
        return claims.jws().algorithm(SignatureAlgorithm.RS256).keyId(KID).sign(KEYS.getPrivate());
    }

    /** These claims signed with a key nobody publishes, under key id {@code kid}: a forgery. */
    public static String signWithForeignKey(JwtClaimsBuilder claims, String kid) {
        return claims.jws().algorithm(SignatureAlgorithm.RS256).keyId(kid).sign(FOREIGN_KEYS.getPrivate());
    }

    public static String practitioner(long id, String email) {
        return sign(claims(id, email, JheClaims.USER_TYPE_PRACTITIONER, false));
    }

    public static String patient(long id, String email) {
        return sign(claims(id, email, JheClaims.USER_TYPE_PATIENT, false));
    }

    public static String superuser(long id, String email) {
        return sign(claims(id, email, null, true));
    }

    /** Expired an hour ago. */
    public static String expired() {
        Instant past = Instant.now().minusSeconds(7200);
        return sign(claims(10002, "manager_mary@example.com", JheClaims.USER_TYPE_PRACTITIONER, false)
                .issuedAt(past).expiresAt(past.plusSeconds(3600)));
    }

    /** A valid practitioner token for Mary that expires {@code seconds} from now. */
    public static String expiringIn(long seconds) {
        return sign(claims(10002, "manager_mary@example.com", JheClaims.USER_TYPE_PRACTITIONER, false)
                .expiresAt(Instant.now().plusSeconds(seconds)));
    }

    public static String wrongIssuer() {
        return sign(claims(10002, "manager_mary@example.com", JheClaims.USER_TYPE_PRACTITIONER, false)
                .issuer("https://elsewhere.example/o"));
    }

    public static String wrongAudience() {
        return sign(claims(10002, "manager_mary@example.com", JheClaims.USER_TYPE_PRACTITIONER, false)
                .audience("another-api"));
    }

    /** Signed by a key the exchange never published, under the published key id. */
    public static String foreignKey() {
        return claims(10002, "manager_mary@example.com", JheClaims.USER_TYPE_PRACTITIONER, false)
                .jws().algorithm(SignatureAlgorithm.RS256).keyId(KID).sign(FOREIGN_KEYS.getPrivate());
    }

    /** A valid token whose payload was altered after signing (the subject made a superuser). */
    public static String tampered() {
        return tamperedCopyOf(practitioner(10002, "manager_mary@example.com"));
    }

    /** The token with its payload altered after signing (its subject made a superuser), its signature kept. */
    public static String tamperedCopyOf(String token) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"is_superuser\":false", "\"is_superuser\":true");
        return parts[0] + "." + b64(payload) + "." + parts[2];
    }

    /** An unsigned token ({@code alg: none}). */
    public static String algNone() {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + KID + "\"}");
        String[] parts = practitioner(10002, "manager_mary@example.com").split("\\.");
        return header + "." + parts[1] + ".";
    }

    /** HS256 with the public key's encoding as the shared secret (the classic key-confusion attack). */
    public static String hs256() {
        SecretKeySpec secret = new SecretKeySpec(publicKey().getEncoded(), "HmacSHA256");
        return claims(10002, "manager_mary@example.com", JheClaims.USER_TYPE_PRACTITIONER, false)
                .jws().algorithm(SignatureAlgorithm.HS256).keyId(KID).sign(secret);
    }

    /**
     * Every kind of unacceptable {@code Authorization} header, by name: not a token, an empty or other scheme, and each
     * bad token of this class. A service answers each with its 401, never a 500 and never data.
     */
    public static Map<String, String> badAuthorizations() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("malformed", "Bearer not-a-jwt");
        bad.put("empty bearer", "Bearer ");
        bad.put("basic instead of bearer", "Basic bWFyeTpKaGUxMjM0IQ==");
        bad.put("expired", "Bearer " + expired());
        bad.put("wrong issuer", "Bearer " + wrongIssuer());
        bad.put("wrong audience", "Bearer " + wrongAudience());
        bad.put("signed by a foreign key", "Bearer " + foreignKey());
        bad.put("tampered payload", "Bearer " + tampered());
        bad.put("alg none", "Bearer " + algNone());
        bad.put("HS256 with the public key", "Bearer " + hs256());
        return bad;
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
