package org.jupyterhealth.exchange.identity.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/** How the service's own database connections are set up. */
@QuarkusTest
class DatabaseConnectionTest {

    @Inject
    Pool pool;

    @Test
    void everyConnectionOfTheServiceRunsWithoutJitCompilation() {
        // each connection is held a moment, so that the five answers come from five connections of the pool
        List<Uni<String>> settings = IntStream.range(0, 5)
                .mapToObj(i -> pool.withConnection(connection -> connection.query("SELECT pg_sleep(0.05)")
                        .execute()
                        .chain(() -> connection.query("SHOW jit").execute())
                        .map(rows -> rows.iterator().next().getString(0))))
                .toList();

        List<String> jit = Uni.join().all(settings).andFailFast().await().indefinitely();

        assertThat(jit).hasSize(5).containsOnly("off");
    }
}
