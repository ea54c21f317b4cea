package org.jupyterhealth.exchange.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Throughput and latency of identity-service's token endpoint for the two grants machines use all day:
 * {@code refresh_token} (every worker follows its own rotation chain: each answer's refresh token is the next
 * request's) and {@code client_credentials} (the admin-service client's service token). Each is run through the
 * gateway (what clients see) and directly against identity-service. On a shared machine the rates mostly measure
 * the contention, so a second, shorter pass also reports the CPU time identity-service spent per grant (from
 * {@code /proc}), which says what one dedicated core sustains.
 * <p>
 * {@code ./jhe bench TokenEndpointBenchmark [concurrency] [measuredSeconds]} (defaults 16 and 30).
 */
public final class TokenEndpointBenchmark {
    private static final String SERVICE_BASIC = Base64.getEncoder()
            .encodeToString("admin-service:admin-service-dev-secret".getBytes(StandardCharsets.UTF_8));

    private static final Duration WARM_UP_EACH = Duration.ofSeconds(15);

    private TokenEndpointBenchmark() {
    }

    /** One refresh-token chain per worker, started with the password grant. */
    private static String[] chains(Exchange target, int concurrency) throws Exception {
        String[] chains = new String[concurrency];
        for (int w = 0; w < concurrency; w++) {
            chains[w] = target.tokenResponse(Map.of("grant_type", "password", "client_id", "jhe-demo",
                    "username", "manager_mary@example.com", "password", Exchange.DEMO_PASSWORD,
                    "scope", "read write")).get("refresh_token").asText();
        }
        return chains;
    }

    public static void main(String[] args) throws Exception {
        int concurrency = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        Duration measured = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 30);
        Duration warmup = Duration.ofSeconds(5);
        Exchange gateway = new Exchange();
        String identityUrl = System.getenv("JHE_BENCH_IDENTITY_URL");
        Exchange identity = identityUrl != null ? new Exchange(identityUrl)
                : gateway.service(Exchange.IDENTITY_SERVICE);

        System.out.printf("token endpoint: %d workers, %d s warm-up of every path, then %d s warm-up and %d s "
                + "measured per pass%n", concurrency, 2 * WARM_UP_EACH.toSeconds(), warmup.toSeconds(),
                measured.toSeconds());
        // both grants on both paths first, so that no pass measures the JIT compiling the code of the next
        for (Exchange target : new Exchange[] { gateway, identity }) {
            String[] chains = chains(target, concurrency);
            LoadRunner.run("warm-up", concurrency, Duration.ZERO, WARM_UP_EACH,
                    worker -> worker % 2 == 0 ? clientCredentials(target) : refresh(target, chains, worker));
        }
        for (Exchange target : new Exchange[] { gateway, identity }) {
            String where = target == gateway ? "gateway" : "direct";
            System.out.println(LoadRunner.run("client_credentials (" + where + ")", concurrency, warmup, measured,
                    worker -> clientCredentials(target)).summary());
            if (target == identity) {
                cpuPerGrant("client_credentials", concurrency, worker -> clientCredentials(target));
            }
            String[] chains = chains(target, concurrency);
            System.out.println(LoadRunner.run("refresh_token (" + where + ")", concurrency, warmup, measured,
                    worker -> refresh(target, chains, worker)).summary());
            if (target == identity) {
                cpuPerGrant("refresh_token", concurrency, worker -> refresh(target, chains, worker));
            }
        }
    }

    /** A 15 s pass on warm code, with identity-service's CPU time read before and after. */
    private static void cpuPerGrant(String grant, int concurrency, LoadRunner.Operation operation) throws Exception {
        Path pidFile = Path.of(".jhe", "bench" + suffix(), "pids", "identity-service.pid");
        if (!Files.isReadable(pidFile)) {
            return;
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        double before = cpuSeconds(pid);
        LoadRunner.Result result = LoadRunner.run(grant + " (CPU pass)", concurrency, Duration.ZERO,
                Duration.ofSeconds(15), operation);
        double used = cpuSeconds(pid) - before;
        double perGrant = used * 1000 / result.operations();
        System.out.printf("%-40s identity-service CPU %.2f ms per grant = %.0f grants/s per dedicated core%n",
                grant + " (CPU pass)", perGrant, 1000 / perGrant);
    }

    private static String suffix() {
        String offset = System.getenv().getOrDefault("JHE_PORT_OFFSET", "0");
        return "0".equals(offset) ? "" : "_" + offset;
    }

    /** utime + stime of a process, in seconds (fields 14 and 15 of /proc/PID/stat, in clock ticks of 1/100 s). */
    private static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    private static boolean clientCredentials(Exchange target) throws Exception {
        Exchange.Response response = target.postForm("/o/token/", Map.of("grant_type", "client_credentials"),
                SERVICE_BASIC);
        return response.statusCode() == 200 && response.body().contains("\"access_token\"");
    }

    /** One rotation: the worker's current refresh token buys tokens and the next refresh token. */
    private static boolean refresh(Exchange target, String[] chains, int worker) throws Exception {
        Exchange.Response response = target.postForm("/o/token/", Map.of("grant_type", "refresh_token",
                "client_id", "jhe-demo", "refresh_token", chains[worker]), null);
        if (response.statusCode() != 200) {
            return false;
        }
        JsonNode body = Exchange.JSON.readTree(response.body());
        chains[worker] = body.get("refresh_token").asText();
        return body.hasNonNull("access_token");
    }
}
