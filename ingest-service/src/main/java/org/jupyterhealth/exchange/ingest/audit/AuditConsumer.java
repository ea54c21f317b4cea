package org.jupyterhealth.exchange.ingest.audit;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.common.audit.AuditChain;
import org.jupyterhealth.exchange.common.audit.AuditEvent;
import org.jupyterhealth.exchange.common.audit.AuditJson;
import org.jupyterhealth.exchange.ingest.audit.AuditRepository.ChainedEvent;
import org.jupyterhealth.exchange.ingest.audit.AuditRepository.Head;
import org.jupyterhealth.exchange.ingest.messaging.InFlight;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.smallrye.mutiny.Uni;

/**
 * Stores topic {@code audit-events} (docs/architecture.md#audit-trail): each batch the consumer polls is stored by
 * one statement, every event chained to the one before it from the same Kafka partition
 * ({@link AuditChain}), and the batch's offsets are committed only after that statement's transaction. A batch
 * delivered again (a crash before the commit) finds the chain heads past its records and stores nothing twice.
 * An unreachable database is waited for without end: the partition waits, nothing is lost. A record that is not an
 * audit event is logged and left out (nothing could be stored of it).
 */
@ApplicationScoped
public class AuditConsumer {
    private static final Logger LOG = Logger.getLogger(AuditConsumer.class);

    private final AuditRepository repository;
    private final InFlight inFlight = new InFlight();

    public AuditConsumer(AuditRepository repository) {
        this.repository = repository;
    }

    @Incoming("audit-events")
    public Uni<Void> consume(ConsumerRecords<String, String> records) {
        return inFlight.run(() -> store(records));
    }

    void finishInFlight(@Observes ShutdownDelayInitiatedEvent stopping) {
        inFlight.stopAndAwait(Duration.ofSeconds(2));
    }

    private Uni<Void> store(ConsumerRecords<String, String> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Integer> partitions = records.partitions().stream().map(TopicPartition::partition).toList();
        return repository.pool().withTransaction(tx -> repository.lockHeads(tx, partitions)
                .chain(heads -> {
                    List<ChainedEvent> chained = chain(records, heads);
                    return chained.isEmpty() ? Uni.createFrom().item(0) : repository.store(tx, chained);
                }))
                .onFailure().invoke(e -> LOG.warnf("%d audit event(s) will be stored on retry (%s)", records.count(),
                        e.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(250), Duration.ofSeconds(10)).indefinitely()
                .replaceWithVoid();
    }

    /** The batch's events in offset order per partition, each chained to the one before; those stored are left out. */
    static List<ChainedEvent> chain(ConsumerRecords<String, String> records, Map<Integer, Head> heads) {
        List<ChainedEvent> chained = new ArrayList<>(records.count());
        for (TopicPartition partition : records.partitions()) {
            Head head = heads.get(partition.partition());
            long last = head == null ? -1 : head.offset();
            byte[] previous = head == null ? AuditChain.GENESIS : head.hash();
            for (ConsumerRecord<String, String> record : records.records(partition)) {
                if (record.offset() <= last) {
                    continue;
                }
                AuditEvent event;
                try {
                    event = AuditJson.read(record.value());
                } catch (IllegalArgumentException | NullPointerException e) {
                    LOG.warnf("audit record %d@%d is not an audit event and is left out: %s", record.partition(),
                            record.offset(), e.getMessage());
                    continue;
                }
                String canonical = AuditJson.write(event);
                byte[] hash = AuditChain.hash(previous, canonical);
                chained.add(new ChainedEvent(record.partition(), record.offset(),
                        event.recorded().atOffset(ZoneOffset.UTC), event.id(), event.action(), event.outcome(),
                        event.userId(), event.resourceType(), event.patientIds(), canonical, previous, hash));
                previous = hash;
            }
        }
        return chained;
    }
}
