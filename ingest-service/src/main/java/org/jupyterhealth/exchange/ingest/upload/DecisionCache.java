package org.jupyterhealth.exchange.ingest.upload;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import org.jupyterhealth.exchange.ingest.config.IngestConfig;
import org.jupyterhealth.exchange.ingest.upload.AccessDecisionClient.Decision;
import org.jupyterhealth.exchange.ingest.upload.AccessDecisionClient.Item;

/**
 * admin-service's upload decisions, kept for at most {@code jhe.ingest.upload.decision-cache} (one second by default,
 * the most the exchange's access rules allow): a stream of uploads of the same patient and code asks admin-service once
 * a second, and a withdrawn consent or membership takes effect for uploads within that second.
 */
@Singleton
public class DecisionCache {
    private static final int SWEEP_ABOVE = 10_000;

    private record Key(long userId, Item item) {
    }

    private record Kept(Decision decision, long expiresAt) {
    }

    private final Map<Key, Kept> kept = new ConcurrentHashMap<>();
    private final long ttlNanos;

    public DecisionCache(IngestConfig config) {
        this.ttlNanos = Math.min(config.decisionCache().toNanos(), 1_000_000_000L);
    }

    /** The decision still valid for the user and entry, or null. */
    public Decision find(long userId, Item item) {
        if (ttlNanos <= 0) {
            return null;
        }
        Kept entry = kept.get(new Key(userId, item));
        if (entry == null || entry.expiresAt() - System.nanoTime() < 0) {
            return null;
        }
        return entry.decision();
    }

    public void keep(long userId, Item item, Decision decision) {
        if (ttlNanos <= 0) {
            return;
        }
        long now = System.nanoTime();
        if (kept.size() > SWEEP_ABOVE) {
            kept.values().removeIf(entry -> entry.expiresAt() - now < 0);
        }
        kept.put(new Key(userId, item), new Kept(decision, now + ttlNanos));
    }
}
