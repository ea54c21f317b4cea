package org.jupyterhealth.exchange.identity.exchange;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.common.testing.StandInServer;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A stand-in for the EHRs the token exchange trusts, on a loopback port: {@code /ehr} publishes its keys (those of
 * {@code TestTokens}) through its SMART configuration, {@code /oidc-ehr} only through its OpenID configuration,
 * {@code /down} answers 503 to everything, and a fourth trusted issuer accepts connections but never answers.
 */
public class EhrStandIn implements QuarkusTestResourceLifecycleManager {
    public static final String AUDIENCE = "jhe-test-ehr-audience";
    /** Where the issuers are, for the tests; set by {@link #start()}. */
    public static final String BASE_PROPERTY = "jhe.test.ehr-base";
    public static final String SILENT_PROPERTY = "jhe.test.ehr-silent";

    private HttpServer server;
    private HttpServer silent;

    @Override
    public Map<String, String> start() {
        // bound but never started: the system queues connections to it, and nobody ever reads a request
        silent = StandInServer.open(0);
        String silentUrl = StandInServer.url(silent) + "/ehr";

        server = StandInServer.open(0);
        String base = StandInServer.url(server);
        byte[] jwks = JwksTestResource.jwks().getBytes(StandardCharsets.UTF_8);
        byte[] configuration = ("{\"jwks_uri\":\"" + base + "/keys/jwks.json\"}").getBytes(StandardCharsets.UTF_8);
        byte[] none = "{\"detail\":\"no such document\"}".getBytes(StandardCharsets.UTF_8);
        server.createContext("/keys/jwks.json", exchange -> StandInServer.sendJson(exchange, 200, jwks));
        server.createContext("/ehr/.well-known/smart-configuration",
                exchange -> StandInServer.sendJson(exchange, 200, configuration));
        server.createContext("/oidc-ehr/.well-known/smart-configuration",
                exchange -> StandInServer.sendJson(exchange, 404, none));
        server.createContext("/oidc-ehr/.well-known/openid-configuration",
                exchange -> StandInServer.sendJson(exchange, 200, configuration));
        server.createContext("/down", exchange -> StandInServer.sendJson(exchange, 503, none));
        server.start();
        return Map.of(
                "jhe.identity.token-exchange.trusted-issuers",
                base + "/ehr/," + base + "/oidc-ehr," + base + "/down," + silentUrl,
                "jhe.identity.token-exchange.trusted-audience", AUDIENCE,
                "jhe.identity.token-exchange.fetch-timeout", "2s",
                BASE_PROPERTY, base,
                SILENT_PROPERTY, silentUrl);
    }

    @Override
    public void stop() {
        StandInServer.stop(server);
        StandInServer.stop(silent);
    }
}
