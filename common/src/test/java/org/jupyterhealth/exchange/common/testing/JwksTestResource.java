package org.jupyterhealth.exchange.common.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
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
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        byte[] jwks = jwks().getBytes(StandardCharsets.UTF_8);
        server.createContext("/o/.well-known/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jwks);
            }
        });
        server.start();
        return Map.of("quarkus.oidc.auth-server-url",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/o");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    static String jwks() {
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
