package org.jupyterhealth.exchange.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/** The observation store's connections as ingest-service opens them. */
@QuarkusTest
@QuarkusTestResource(StandInAdmin.class)
class UploadRepositoryTest {
    @Inject
    Pool pool;

    @Test
    void statementsAreNeverJitCompiled() {
        // a plan's cost estimate without statistics can cross PostgreSQL's JIT thresholds on a large store: every
        // statement then paid hundreds of milliseconds of compiling for a millisecond of work
        String jit = pool.query("SHOW jit").execute().await().indefinitely().iterator().next().getString(0);

        assertThat(jit).isEqualTo("off");
    }
}
