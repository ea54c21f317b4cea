package org.jupyterhealth.exchange.benchmarks;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Throughput and latency of identity-service's token endpoint for the two grants machines use all day:
 * {@code refresh_token} (every worker follows its own rotation chain: each answer's refresh token is the next
 * request's) and {@code client_credentials} (the admin-service client's service token). Each is run through the
 * gateway (what clients see) and directly against identity-service.
 * <p>
 * {@code ./jhe bench TokenEndpointBenchmark [concurrency] [measuredSeconds]} (defaults 16 and 30).
 */
public final class TokenEndpointBenchmark {
    private static final String SERVICE_BASIC = Base64.getEncoder()
            .encodeToString("admin-service:admin-service-dev-secret".getBytes(StandardCharsets.UTF_8));

    private TokenEndpointBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int concurrency = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        Duration measured = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 30);
        Duration warmup = Duration.ofSeconds(10);
        Exchange gateway = new Exchange();
        URI gatewayUri = URI.create(gateway.baseUrl());
        Exchange identity = new Exchange(System.getenv().getOrDefault("JHE_BENCH_IDENTITY_URL",
                gatewayUri.getScheme() + "://" + gatewayUri.getHost() + ":" + (gatewayUri.getPort() + 81)));

        System.out.printf("token endpoint: %d workers, %d s warm-up, %d s measured%n", concurrency,
                warmup.toSeconds(), measured.toSeconds());
        for (Exchange target : new Exchange[] { gateway, identity }) {
            String where = target == gateway ? "gateway" : "direct";
            System.out.println(LoadRunner.run("client_credentials (" + where + ")", concurrency, warmup, measured,
                    worker -> clientCredentials(target)).summary());
            String[] chains = new String[concurrency];
            for (int w = 0; w < concurrency; w++) {
                chains[w] = target.tokenResponse(Map.of("grant_type", "password", "client_id", "jhe-demo",
                        "username", "manager_mary@example.com", "password", Exchange.DEMO_PASSWORD,
                        "scope", "read write")).get("refresh_token").asText();
            }
            System.out.println(LoadRunner.run("refresh_token (" + where + ")", concurrency, warmup, measured,
                    worker -> refresh(target, chains, worker)).summary());
        }
    }

    private static boolean clientCredentials(Exchange target) throws Exception {
        HttpResponse<String> response = target.postForm("/o/token/", Map.of("grant_type", "client_credentials"),
                SERVICE_BASIC);
        return response.statusCode() == 200 && response.body().contains("\"access_token\"");
    }

    /** One rotation: the worker's current refresh token buys tokens and the next refresh token. */
    private static boolean refresh(Exchange target, String[] chains, int worker) throws Exception {
        HttpResponse<String> response = target.postForm("/o/token/", Map.of("grant_type", "refresh_token",
                "client_id", "jhe-demo", "refresh_token", chains[worker]), null);
        if (response.statusCode() != 200) {
            return false;
        }
        JsonNode body = Exchange.JSON.readTree(response.body());
        chains[worker] = body.get("refresh_token").asText();
        return body.hasNonNull("access_token");
    }
}
