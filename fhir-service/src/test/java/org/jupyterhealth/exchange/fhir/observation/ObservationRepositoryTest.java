package org.jupyterhealth.exchange.fhir.observation;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.fhir.support.FakeAdmin;
import org.jupyterhealth.exchange.fhir.support.ObservationStore;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/** The observation store's connections as fhir-service opens them. */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(FakeAdmin.class)
@QuarkusTestResource(ObservationStore.class)
class ObservationRepositoryTest {
    @Inject
    Pool pool;

    @Test
    void pagesAreNeverJitCompiled() {
        // without statistics (a store never analyzed) a page's cost estimate crossed the JIT thresholds, and each
        // keyset page of a 10,000-observation read paid 300-750 ms of compiling for a millisecond of work
        String jit = pool.query("SHOW jit").execute().await().indefinitely().iterator().next().getString(0);

        assertThat(jit).isEqualTo("off");
    }
}
