package org.jupyterhealth.exchange.systemtests;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An EHR the system test stack's identity-service trusts for the SMART EHR-launch token exchange: it publishes its
 * key through its SMART configuration on a loopback port, and signs ID tokens as an EHR would. It is started once,
 * before the stack, whose identity-service is told of it through the environment ({@link #environment()}).
 */
final class EhrIssuer {
    static final String AUDIENCE = "jhe-systest-ehr-audience";
    private static final String KID = "systest-ehr-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KeyPair KEYS = generate();
    private static final KeyPair OTHER_KEYS = generate();
    private static final HttpServer SERVER = serve();

    private EhrIssuer() {
    }

    /** The issuer ({@code iss}) of the EHR's tokens. */
    static String issuer() {
        return "http://127.0.0.1:" + SERVER.getAddress().getPort() + "/ehr";
    }

    /** The settings that make identity-service trust this EHR. */
    static Map<String, String> environment() {
        return Map.of("JHE_IDENTITY_TOKEN_EXCHANGE_TRUSTED_ISSUERS", issuer(),
                "JHE_IDENTITY_TOKEN_EXCHANGE_TRUSTED_AUDIENCE", AUDIENCE);
    }

    /** An ID token of this EHR for the user {@code fhirUser} names, valid until {@code expiresAt}. */
    static String idToken(String issuer, String fhirUser, Instant expiresAt) {
        return sign(KEYS.getPrivate(), issuer, fhirUser, expiresAt);
    }

    /** The same, signed with a key the EHR does not publish: a forgery. */
    static String forged(String fhirUser) {
        return sign(OTHER_KEYS.getPrivate(), issuer(), fhirUser, Instant.now().plusSeconds(300));
    }

    private static String sign(PrivateKey key, String issuer, String fhirUser, Instant expiresAt) {
        try {
            long now = Instant.now().getEpochSecond();
            String header = b64(JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT", "kid", KID)));
            String payload = b64(JSON.writeValueAsBytes(Map.of("iss", issuer, "aud", AUDIENCE, "sub", "ehr-user-7",
                    "fhirUser", fhirUser, "iat", now - 10, "exp", expiresAt.getEpochSecond())));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + b64(signature.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpServer serve() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            RSAPublicKey key = (RSAPublicKey) KEYS.getPublic();
            byte[] jwks = JSON.writeValueAsBytes(Map.of("keys", new Object[] { Map.of("kty", "RSA", "kid", KID,
                    "use", "sig", "alg", "RS256", "n", b64(unsigned(key.getModulus())),
                    "e", b64(unsigned(key.getPublicExponent()))) }));
            byte[] configuration = JSON.writeValueAsBytes(Map.of("issuer", base + "/ehr",
                    "jwks_uri", base + "/ehr/keys"));
            server.createContext("/ehr/keys", exchange -> send(exchange, jwks));
            server.createContext("/ehr/.well-known/smart-configuration", exchange -> send(exchange, configuration));
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot serve the test EHR's keys", e);
        }
    }

    private static void send(HttpExchange exchange, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes.length > 1 && bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
