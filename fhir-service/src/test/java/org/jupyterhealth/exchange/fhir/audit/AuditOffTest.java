package org.jupyterhealth.exchange.fhir.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.common.testing.NoAuditBroker;
import org.jupyterhealth.exchange.fhir.support.FakeAdmin;
import org.jupyterhealth.exchange.fhir.support.ObservationStore;
import org.jupyterhealth.exchange.fhir.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * {@code jhe.audit.enabled=false} (what the benchmarks measure auditing against): the audit filter does nothing, so
 * even with the audit broker unreachable and auditing failing closed, data is served as without an audit trail.
 */
@QuarkusTest
@TestProfile(AuditOffTest.NoAuditBrokerAuditOff.class)
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(FakeAdmin.class)
@QuarkusTestResource(ObservationStore.class)
class AuditOffTest {

    public static class NoAuditBrokerAuditOff extends NoAuditBroker {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("jhe.audit.enabled", "false");
            overrides.put("jhe.audit.fail-closed", "true");
            return overrides;
        }
    }

    @Test
    void aReadAndASearchAreServedWithoutWaitingOnTheAuditBroker() {
        given().auth().oauth2(Personas.mary())
                .when().get("/fhir/r5/Observation/60001")
                .then().statusCode(200).body("id", equalTo("60001"));
        given().auth().oauth2(Personas.mary())
                .when().get("/fhir/r5/Observation?patient=40001")
                .then().statusCode(200).body("resourceType", equalTo("Bundle"));
    }
}
