package org.jupyterhealth.exchange.admin.health;

import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.common.testing.HealthChecks;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Liveness and readiness on the management port, nothing of either on the public port ({@link HealthChecks}). */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class HealthTest extends HealthChecks {
}
