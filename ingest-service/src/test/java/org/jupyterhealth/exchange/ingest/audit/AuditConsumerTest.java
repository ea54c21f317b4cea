package org.jupyterhealth.exchange.ingest.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.audit.AuditAction;
import org.jupyterhealth.exchange.common.audit.AuditEvent;
import org.jupyterhealth.exchange.common.audit.AuditJson;
import org.jupyterhealth.exchange.common.audit.AuditVerifier;
import org.jupyterhealth.exchange.common.kafka.Topic;
import org.jupyterhealth.exchange.common.testing.ContractCheck;
import org.jupyterhealth.exchange.ingest.upload.StandInAdmin;
import org.jupyterhealth.exchange.ingest.upload.UploadTopics;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The audit store: every event of topic audit-events is stored once, chained to the event before it on its Kafka
 * partition; the chain check passes on the stored trail and fails on an altered or removed event; old months are
 * dropped whole.
 */
@QuarkusTest
@QuarkusTestResource(StandInAdmin.class)
class AuditConsumerTest {
    static UploadTopics topics;

    @Inject
    Pool pool;

    @BeforeAll
    static void connect() {
        topics = new UploadTopics();
    }

    @AfterAll
    static void disconnect() {
        topics.close();
    }

    static Connection owner() throws SQLException {
        // the migration user: the service's own role may not change or delete audit rows
        return DriverManager.getConnection(ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url",
                String.class), "postgres", null);
    }

    static AuditEvent event(long patientId, AuditAction action) {
        return AuditEvent.of(action).service("fhir-service").status(200).agent(10001L, "practitioner", "demo-app")
                .resource("Observation", List.of("41")).patients(List.of(patientId))
                .request("req-" + UUID.randomUUID(), "10.0.0.7").build();
    }

    void send(AuditEvent event) {
        String value = AuditJson.write(event);
        ContractCheck.assertMessage("AuditEvent", value);
        topics.sendTo(Topic.AUDIT_EVENTS.topicName(), event.key(), value);
    }

    Row stored(UUID eventId) {
        var rows = pool.preparedQuery("SELECT * FROM ingest.audit_event WHERE event_id = $1")
                .execute(Tuple.of(eventId)).await().indefinitely();
        return rows.size() == 0 ? null : rows.iterator().next();
    }

    void awaitStored(List<AuditEvent> events) {
        await().atMost(Duration.ofSeconds(30)).until(() -> events.stream().allMatch(e -> stored(e.id()) != null));
    }

    @Test
    void everyEventIsStoredOnceChainedAndTheChainChecksOut() throws Exception {
        List<AuditEvent> events = List.of(event(40001, AuditAction.READ), event(40001, AuditAction.SEARCH),
                event(40002, AuditAction.DELETE));
        topics.sendTo(Topic.AUDIT_EVENTS.topicName(), "40001", "{\"not\": \"an audit event\"}");
        events.forEach(this::send);
        awaitStored(events);

        Row first = stored(events.get(0).id());
        Row second = stored(events.get(1).id());
        assertThat(first.getString("event")).isEqualTo(AuditJson.write(events.get(0)));
        assertThat(first.getString("action")).isEqualTo("read");
        assertThat(first.getString("outcome")).isEqualTo("success");
        assertThat(first.getLong("agent_user_id")).isEqualTo(10001L);
        assertThat(first.getArrayOfLongs("patient_ids")).containsExactly(40001L);
        // one patient's events share a partition, the second chained to the first
        assertThat(second.getInteger("kafka_partition")).isEqualTo(first.getInteger("kafka_partition"));
        assertThat(second.getBuffer("prev_hash").getBytes()).isEqualTo(first.getBuffer("hash").getBytes());
        long count = pool.preparedQuery("SELECT count(*) FROM ingest.audit_event WHERE event_id = ANY($1)")
                .execute(Tuple.of(events.stream().map(AuditEvent::id).toArray(UUID[]::new)))
                .await().indefinitely().iterator().next().getLong(0);
        assertThat(count).isEqualTo(3);

        try (Connection connection = owner()) {
            AuditVerifier.Result result = AuditVerifier.verify(connection, "ingest");
            assertThat(result.broken()).isNull();
            assertThat(result.events()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void theChainCheckFindsAnAlteredAndARemovedEvent() throws Exception {
        List<AuditEvent> events = List.of(event(40011, AuditAction.READ), event(40011, AuditAction.READ),
                event(40011, AuditAction.READ));
        events.forEach(this::send);
        awaitStored(events);
        Row altered = stored(events.get(0).id());
        String original = altered.getString("event");
        try (Connection connection = owner(); Statement sql = connection.createStatement()) {
            sql.execute("UPDATE ingest.audit_event SET event = replace(event, '10001', '10002'), "
                    + "agent_user_id = 10002 WHERE event_id = '" + events.get(0).id() + "'");
            AuditVerifier.Result result = AuditVerifier.verify(connection, "ingest");
            assertThat(result.ok()).isFalse();
            assertThat(result.broken()).startsWith("partition " + altered.getInteger("kafka_partition") + ", offset "
                    + altered.getLong("kafka_offset") + ": its hash does not match its content");

            sql.execute("UPDATE ingest.audit_event SET event = '" + original.replace("'", "''")
                    + "', agent_user_id = 10001 WHERE event_id = '" + events.get(0).id() + "'");
            assertThat(AuditVerifier.verify(connection, "ingest").broken()).isNull();

            Row middle = stored(events.get(1).id());
            String copy = "CREATE TEMP TABLE removed AS SELECT * FROM ingest.audit_event WHERE event_id = '"
                    + events.get(1).id() + "'";
            sql.execute(copy);
            sql.execute("DELETE FROM ingest.audit_event WHERE event_id = '" + events.get(1).id() + "'");
            AuditVerifier.Result removed = AuditVerifier.verify(connection, "ingest");
            assertThat(removed.broken()).contains("its previous hash is not the hash of the event before it");
            assertThat(removed.broken()).doesNotContain("offset " + middle.getLong("kafka_offset") + ":");
            sql.execute("INSERT INTO ingest.audit_event SELECT * FROM removed");
            assertThat(AuditVerifier.verify(connection, "ingest").broken()).isNull();
        }
    }

    @Test
    void monthsPastTheRetentionAreDroppedWholeAndTheChainStartsAtTheirAnchor() throws Exception {
        try (Connection connection = owner(); Statement sql = connection.createStatement()) {
            String thisMonth = java.time.YearMonth.now(java.time.ZoneOffset.UTC).toString().replace('-', '_');
            var exists = sql.executeQuery("SELECT to_regclass('ingest.audit_event_" + thisMonth + "') IS NOT NULL");
            exists.next();
            assertThat(exists.getBoolean(1)).as("this month's partition").isTrue();

            sql.execute("CREATE TABLE ingest.audit_event_2001_01 PARTITION OF ingest.audit_event "
                    + "FOR VALUES FROM ('2001-01-01 00:00:00+00') TO ('2001-02-01 00:00:00+00')");
            var dropped = sql.executeQuery("SELECT ingest.audit_event_partitions(2, INTERVAL '6 years')");
            dropped.next();
            assertThat(dropped.getInt(1)).isEqualTo(1);
            var gone = sql.executeQuery("SELECT to_regclass('ingest.audit_event_2001_01') IS NULL");
            gone.next();
            assertThat(gone.getBoolean(1)).isTrue();
        }
    }

    @Test
    void theServiceRoleCannotChangeTheTrail() {
        AuditEvent event = event(40021, AuditAction.READ);
        send(event);
        awaitStored(List.of(event));
        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> pool
                .preparedQuery("UPDATE ingest.audit_event SET outcome = 'refused' WHERE event_id = $1")
                .execute(Tuple.of(event.id())).await().indefinitely());
        assertThat(refused).hasMessageContaining("permission denied");
        assertThat(stored(event.id()).getString("outcome")).isEqualTo("success");
        assertThat(Instant.now()).isAfter(event.recorded());
    }
}
