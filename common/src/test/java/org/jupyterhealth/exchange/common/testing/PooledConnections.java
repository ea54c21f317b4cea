package org.jupyterhealth.exchange.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The PostgreSQL backends behind a service's reactive pool. A backend keeps the plans of the statements prepared on
 * it, so which backends a pool holds over time tells how long a cached plan can live.
 */
public final class PooledConnections {
    /** The connection lifetime a {@link ShortLifetime} test runs with. */
    public static final Duration SHORT_LIFETIME = Duration.ofSeconds(2);

    private PooledConnections() {
    }

    /**
     * The backend process ids of {@code count} connections of the pool held at the same time (each is held a moment,
     * so that the pool hands out {@code count} different ones).
     */
    public static Set<Integer> backends(Pool pool, int count) {
        List<Uni<Integer>> asks = IntStream.range(0, count)
                .mapToObj(i -> pool.withConnection(connection -> connection
                        .query("SELECT pg_backend_pid(), pg_sleep(0.1)").execute())
                        .map(rows -> rows.iterator().next().getInteger(0)))
                .toList();
        return new HashSet<>(Uni.join().all(asks).andFailFast().await().atMost(Duration.ofSeconds(10)));
    }

    /**
     * Asserts that the pool keeps its connections while they are young (the statements prepared on them are reused)
     * and has replaced every one of them soon after {@link #SHORT_LIFETIME}: the pool must be the one of a
     * {@link ShortLifetime} test.
     */
    public static void assertKeptThenRetired(Pool pool) throws InterruptedException {
        Set<Integer> first = backends(pool, 5);
        assertThat(backends(pool, 5)).as("connections reused while young").containsAnyElementsOf(first);

        Set<Integer> later = awaitRetired(pool, first, SHORT_LIFETIME.multipliedBy(3));
        assertThat(later).doesNotContainAnyElementsOf(first).isNotEmpty();
    }

    /**
     * Waits, asking the pool for five connections at a time, until none of them is one of {@code retired}.
     *
     * @return the backends the pool holds then
     * @throws AssertionError when one of {@code retired} still serves after {@code limit}
     */
    public static Set<Integer> awaitRetired(Pool pool, Set<Integer> retired, Duration limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Set<Integer> now = backends(pool, 5);
            if (now.stream().noneMatch(retired::contains)) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("backends " + retired + " still serve the pool after " + limit + ": " + now);
            }
            Thread.sleep(250);
        }
    }

    /** The service as configured, but with connections that live {@link #SHORT_LIFETIME}. */
    public static class ShortLifetime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.max-lifetime", SHORT_LIFETIME.toSeconds() + "S");
        }
    }
}
