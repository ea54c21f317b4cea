package org.jupyterhealth.exchange.fhir.health;

import org.jupyterhealth.exchange.common.testing.HealthChecks;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Liveness and readiness on the management port, nothing of either on the public port ({@link HealthChecks}). */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
class HealthTest extends HealthChecks {
}
