package org.jupyterhealth.exchange.gateway.routing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jupyterhealth.exchange.gateway.config.GatewayConfig;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * Per-client token buckets: each client may send {@code requestsPerSecond} requests per second on average and
 * {@code burst} at once. The endpoints where credentials are tried have a bucket of their own per client, with a
 * far smaller budget ({@link GatewayConfig.Auth}). A refused request learns how long to wait before the next one
 * would pass.
 */
final class RateLimiter {
    private static final long IDLE_NANOS = 60_000_000_000L;
    /** Paths under which credentials are tried, whatever follows them ({@code /o/token/}, {@code /o/token;x}). */
    private static final String[] AUTH_PREFIXES = { "/o/token", "/o/authorize", "/o/introspect", "/o/revoke_token",
            "/o/activate", "/o/password", "/o/forgot", "/o/reset" };
    private static final String INVITATION = "/api/v1/invitation/";
    /** The passkeys page and its forms; not its static script ({@code /o/passkeys.js}), which every sign-in loads. */
    private static final String PASSKEYS = "/o/passkeys";

    private final GatewayConfig.RateLimit config;
    private final boolean trustForwardedFor;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(GatewayConfig.RateLimit config, boolean trustForwardedFor) {
        this.config = config;
        this.trustForwardedFor = trustForwardedFor;
    }

    boolean enabled() {
        return config.requestsPerSecond() > 0;
    }

    /**
     * 0 when the request may pass, otherwise the seconds to wait (at least 1).
     *
     * @param path the request's normalised path (escapes of unreserved characters decoded, dot segments removed),
     *        as the router matched it
     */
    long acquire(HttpServerRequest request, String path) {
        String client = clientOf(request);
        if (config.auth().requestsPerSecond() > 0 && isAuthEndpoint(request.method(), path)) {
            int perSecond = config.auth().requestsPerSecond();
            int burst = config.auth().burst();
            return buckets.computeIfAbsent("auth " + client, k -> new Bucket(burst)).take(perSecond, burst,
                    System.nanoTime());
        }
        return buckets.computeIfAbsent(client, k -> new Bucket(config.burst()))
                .take(config.requestsPerSecond(), config.burst(), System.nanoTime());
    }

    /**
     * Whether a request tries credentials: the OAuth endpoints that take a password, a client secret, a code or a
     * token, the activation page (its link's token sets an account's first password), the change of a password
     * (it checks the current one), the passkeys page (a passkey is registered there; the sign-in with one is under
     * {@code /o/authorize}), and the redemption of an invitation. {@code ;}-parameters are ignored, as the services' routers ignore them, so that
     * {@code /api/v1/invitation;x/TOKEN} is counted like {@code /api/v1/invitation/TOKEN}.
     */
    static boolean isAuthEndpoint(HttpMethod method, String path) {
        if (path == null) {
            return false;
        }
        String plain = path.indexOf(';') >= 0 ? path.replaceAll(";[^/]*", "") : path;
        for (String prefix : AUTH_PREFIXES) {
            if (plain.startsWith(prefix)) {
                return true;
            }
        }
        if (plain.equals(PASSKEYS) || plain.startsWith(PASSKEYS + "/")) {
            return true;
        }
        return method == HttpMethod.POST && plain.startsWith(INVITATION) && plain.length() > INVITATION.length();
    }

    /** Forgets clients idle for a minute, so that the table does not grow without bound. */
    void evictIdle() {
        long now = System.nanoTime();
        buckets.values().removeIf(bucket -> bucket.idleSince(now) > IDLE_NANOS);
    }

    int trackedClients() {
        return buckets.size();
    }

    /**
     * The client's address: the connection's, unless the gateway sits behind a trusted ingress, in which case it is
     * the last address of {@code X-Forwarded-For}, the one the ingress added (addresses before it are whatever the
     * client sent). A client's own {@code X-Forwarded-For} is never believed, or rotating it would give each request
     * a fresh bucket.
     */
    private String clientOf(HttpServerRequest request) {
        if (trustForwardedFor) {
            String chain = request.getHeader("X-Forwarded-For");
            if (chain != null && !chain.isBlank()) {
                return chain.substring(chain.lastIndexOf(',') + 1).trim();
            }
        }
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(int burst) {
            this.tokens = burst;
            this.last = System.nanoTime();
        }

        synchronized long take(int perSecond, int burst, long now) {
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
        }

        synchronized long idleSince(long now) {
            return now - last;
        }
    }
}
