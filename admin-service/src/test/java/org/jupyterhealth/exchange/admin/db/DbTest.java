package org.jupyterhealth.exchange.admin.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The service's connections never compile plans with PostgreSQL's JIT: with stale statistics a short OLTP query's
 * estimated cost can cross the JIT thresholds and spend far longer compiling than executing.
 */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class DbTest {
    @Inject
    Pool pool;

    @Test
    void everyConnectionOfThePoolHasJitOff() {
        // several connections at once, so that more than the first one of the pool is asked
        List<Uni<String>> asks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            asks.add(pool.withConnection(c -> c.query("SELECT current_setting('jit'), pg_sleep(0.1)").execute())
                    .map(rows -> rows.iterator().next().getString(0)));
        }
        List<String> settings = Uni.join().all(asks).andFailFast().await().atMost(Duration.ofSeconds(10));
        assertThat(settings).hasSize(5).containsOnly("off");
    }
}
