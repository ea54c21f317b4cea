package org.jupyterhealth.exchange.gateway.routing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jupyterhealth.exchange.gateway.config.GatewayConfig;

import io.vertx.core.http.HttpServerRequest;

/**
 * Per-client token buckets: each client may send {@code requestsPerSecond} requests per second on average and
 * {@code burst} at once. A refused request learns how long to wait before the next one would pass.
 */
final class RateLimiter {
    private static final long IDLE_NANOS = 60_000_000_000L;

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

    /** 0 when the request may pass, otherwise the seconds to wait (at least 1). */
    long acquire(HttpServerRequest request) {
        String client = clientOf(request);
        return buckets.computeIfAbsent(client, k -> new Bucket(config.burst()))
                .take(config.requestsPerSecond(), config.burst(), System.nanoTime());
    }

    /** Forgets clients idle for a minute, so that the table does not grow without bound. */
    void evictIdle() {
        long now = System.nanoTime();
        buckets.values().removeIf(bucket -> bucket.idleSince(now) > IDLE_NANOS);
    }

    int trackedClients() {
        return buckets.size();
    }

    private String clientOf(HttpServerRequest request) {
        if (trustForwardedFor) {
            String chain = request.getHeader("X-Forwarded-For");
            if (chain != null && !chain.isBlank()) {
                return chain.split(",")[0].trim();
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
