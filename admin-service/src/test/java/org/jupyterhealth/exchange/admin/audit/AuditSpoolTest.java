package org.jupyterhealth.exchange.admin.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.TestDatabase;
import org.jupyterhealth.exchange.common.audit.AuditAction;
import org.jupyterhealth.exchange.common.audit.AuditEvent;
import org.jupyterhealth.exchange.common.audit.AuditJson;
import org.jupyterhealth.exchange.common.testing.TestAuditEvents;
import org.jupyterhealth.exchange.common.testing.TestAuditEvents.Produced;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An event kept in the spool (while the broker was away) reaches the topic once the broker is there, exactly once,
 * and leaves the spool.
 */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class AuditSpoolTest {
    static TestAuditEvents events;

    @BeforeAll
    static void listen() {
        events = new TestAuditEvents();
    }

    @AfterAll
    static void stop() {
        events.close();
    }

    @Test
    void aSpooledEventIsSentOnceAndLeavesTheSpool() {
        String requestId = TestAuditEvents.requestId();
        AuditEvent event = AuditEvent.of(AuditAction.CONSENT).resource("Consent", List.of()).patients(List.of(40001L))
                .service("admin-service").status(201).agent(10006L, "patient", "test-client")
                .request(requestId, "127.0.0.1").build();
        TestDatabase.execute("INSERT INTO admin.audit_spool (event_key, payload) VALUES ('" + event.key() + "', '"
                + AuditJson.write(event).replace("'", "''") + "')");

        List<Produced> produced = events.of(requestId);

        assertThat(produced).hasSize(1);
        assertThat(produced.get(0).key()).isEqualTo("40001");
        assertThat(produced.get(0).event().id()).isEqualTo(event.id());
        assertThat(produced.get(0).event().action()).isEqualTo("consent");
        long deadline = Instant.now().plusSeconds(5).toEpochMilli();
        while (spooled(requestId) > 0 && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(spooled(requestId)).isZero();
    }

    static long spooled(String requestId) {
        return TestDatabase.number("SELECT count(*) FROM admin.audit_spool WHERE payload LIKE '%" + requestId + "%'");
    }
}
