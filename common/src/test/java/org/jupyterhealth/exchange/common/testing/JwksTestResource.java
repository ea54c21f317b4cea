package org.jupyterhealth.exchange.common.testing;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Serves the JWKS of {@link TestTokens} on a loopback port and points the service's token verification at it,
 * so that tests run with tokens minted by {@link TestTokens}.
 */
public class JwksTestResource implements QuarkusTestResourceLifecycleManager {
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        server = StandInServer.open(0);
        byte[] jwks = jwks().getBytes(StandardCharsets.UTF_8);
        server.createContext("/o/.well-known/jwks.json", exchange -> StandInServer.sendJson(exchange, 200, jwks));
        server.start();
        return Map.of("quarkus.oidc.auth-server-url", StandInServer.url(server) + "/o");
    }

    @Override
    public void stop() {
        StandInServer.stop(server);
    }

    /** The JSON Web Key Set of {@link TestTokens}' signing key, as identity-service publishes its own. */
    public static String jwks() {
        var key = TestTokens.publicKey();
        return "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"" + TestTokens.KID + "\",\"use\":\"sig\",\"alg\":\"RS256\","
                + "\"n\":\"" + b64(key.getModulus()) + "\",\"e\":\"" + b64(key.getPublicExponent()) + "\"}]}";
    }

    private static String b64(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
