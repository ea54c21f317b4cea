package org.jupyterhealth.exchange.identity.health;

import org.jupyterhealth.exchange.common.testing.HealthChecks;

import io.quarkus.test.junit.QuarkusTest;

/** Liveness and readiness on the management port, nothing of either on the public port ({@link HealthChecks}). */
@QuarkusTest
class HealthTest extends HealthChecks {
}
