package org.jupyterhealth.exchange.admin.db;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.common.testing.PooledConnections;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * A connection, and with it every plan cached on it, lives a bounded time: a generic plan made while the patients
 * table was small must not serve its look-ups for the life of the service.
 */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
@TestProfile(PooledConnections.ShortLifetime.class)
class ConnectionLifetimeTest {
    @Inject
    Pool pool;

    @Test
    void connectionsAreKeptWithinTheirLifetimeAndReplacedAfterIt() throws InterruptedException {
        PooledConnections.assertKeptThenRetired(pool);
    }
}
