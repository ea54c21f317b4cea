package org.jupyterhealth.exchange.common.audit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * Produces {@link AuditEvent}s to topic {@code audit-events}, keyed by the event's first patient
 * ({@link AuditEvent#key()}). The request never waits on the audit store, and while the broker is known to be
 * taking events it does not wait on the broker either: the event is handed to the producer (which batches) and
 * the access goes on.
 *
 * <p>{@code jhe.audit.fail-closed=true} (the default) refuses an access rather than serve it unaudited, judged on
 * the producer's state rather than on each event's own acknowledgement (which cost an audited search half of its
 * throughput on two cores):
 * <ul>
 * <li>the broker is <em>taking events</em> once it has acknowledged one and until a send fails or no
 * acknowledgement has come for {@link #STALLED} while events are pending; then an access is served at once;</li>
 * <li>otherwise (at start, after a failure, while acknowledgements have stopped coming) an access waits for its own
 * event's acknowledgement, at most {@code jhe.audit.ack-timeout}, and is refused with
 * {@link AuditUnavailableException} (a 503) if it does not come; the first acknowledgement makes the broker taking
 * events again;</li>
 * <li>at most {@link #MAX_PENDING} events wait for acknowledgement; beyond that an access waits for its own, so
 * a slow broker slows accesses down rather than letting the buffer grow.</li>
 * </ul>
 * Events handed over while the broker was taking events are kept by the producer and retried up to its
 * {@code delivery.timeout.ms}; an event that is finally not delivered (the broker went away in the second before
 * it counted as not taking events, and stayed away) is logged with its id, never its content. {@code false}: the event is sent and the access goes on; a lost
 * event is logged. {@code jhe.audit.enabled=false} sends nothing, and the services' audit filters then do none of
 * their work either ({@link #enabled()}): what auditing costs is measured against a service that does not audit.
 *
 * <p>While the broker is taking events, an access's event goes straight to the channel's Kafka producer on the
 * caller's thread ({@link Producer#send} only appends to the producer's batch; its sender thread does the network
 * work). Through the channel's emitter every event would be handed to the connector's sending thread first: one
 * thread wake-up per event, which cost an audited search more than the event itself on two cores. The emitter is
 * used whenever the producer could block the caller: before any acknowledgement, after a failure, with
 * {@link #MAX_PENDING} events pending, and after {@link #DIRECT_IDLE} without acknowledgement (the producer may
 * have forgotten the topic's partitions and would fetch them before appending).
 *
 * <p>Each service that emits audit events makes its bean of it ({@code <service>.audit.AuditProducer}), with its
 * channel {@code audit-events} (bounded: {@code @OnOverflow(BUFFER, bufferSize = 8192)}) and the settings
 * {@code jhe.audit.*}: a bean here would make every service, the store's owner too, declare the channel.
 */
public class AuditEmitter {
    private static final Logger LOG = Logger.getLogger(AuditEmitter.class);

    /** No acknowledgement for this long while events are pending: the broker is no longer taking events. */
    static final Duration STALLED = Duration.ofSeconds(1);
    /** Events waiting for acknowledgement beyond which an access waits for its own (below the channel's 8192). */
    static final int MAX_PENDING = 4096;
    /** Since the last acknowledgement, the longest time after which an event still goes straight to the producer. */
    static final Duration DIRECT_IDLE = Duration.ofSeconds(30);

    private final MutinyEmitter<Record<String, String>> emitter;
    private final KafkaClientService kafka;
    private final String channel;
    private final String topic;
    /** The channel's Kafka producer, once the connector has made it. */
    private volatile Producer<String, String> producer;
    private final boolean enabled;
    private final boolean failClosed;
    private final Duration ackTimeout;
    private final long stalled;

    private final AtomicInteger pending = new AtomicInteger();
    /** Whether the last outcome of a send was an acknowledgement (false at start: nothing is known yet). */
    private volatile boolean taking;
    /** Since when pending events have waited without any acknowledgement (meaningful while pending > 0). */
    private volatile long waitingSince = System.nanoTime();
    /** When the broker last acknowledged an event. */
    private volatile long lastAcknowledged = System.nanoTime() - DIRECT_IDLE.toNanos();

    /**
     * @param kafka   the connector's clients, for the channel's producer; {@code null}: every event through the emitter
     * @param channel the emitter's channel
     * @param topic   the channel's topic
     */
    protected AuditEmitter(MutinyEmitter<Record<String, String>> emitter, KafkaClientService kafka, String channel,
            String topic, boolean enabled, boolean failClosed, Duration ackTimeout) {
        this(emitter, kafka, channel, topic, enabled, failClosed, ackTimeout, STALLED);
    }

    /** @param stalled how long pending events may wait for an acknowledgement ({@link #STALLED}; tests choose) */
    AuditEmitter(MutinyEmitter<Record<String, String>> emitter, KafkaClientService kafka, String channel,
            String topic, boolean enabled, boolean failClosed, Duration ackTimeout, Duration stalled) {
        this.stalled = stalled.toNanos();
        this.emitter = emitter;
        this.kafka = kafka;
        this.channel = channel;
        this.topic = topic;
        this.enabled = enabled;
        this.failClosed = failClosed;
        this.ackTimeout = ackTimeout;
    }

    /**
     * Whether events are sent ({@code jhe.audit.enabled}); when not, an audit filter returns at once, without
     * describing the request.
     */
    public boolean enabled() {
        return enabled;
    }

    /**
     * Sends the event; completes when the access may go on, fails with {@link AuditUnavailableException} when it
     * may not (fail closed, see the class).
     */
    public Uni<Void> emit(AuditEvent event) {
        return emit(event, false);
    }

    /**
     * Sends the event and, whatever the broker's state, completes only once the broker has acknowledged it: for a
     * write that has committed, whose event the caller keeps (and sends again) when the broker does not take it.
     */
    public Uni<Void> emitAcknowledged(AuditEvent event) {
        return emit(event, true);
    }

    private Uni<Void> emit(AuditEvent event, boolean acknowledged) {
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        boolean atOnce = !acknowledged && (!failClosed || takingEvents());
        if (atOnce && sendDirectly(event)) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> sent = send(event);
        if (atOnce) {
            return Uni.createFrom().voidItem();
        }
        return sent.ifNoItem().after(ackTimeout).fail().onFailure().transform(failure -> {
            LOG.warnf("audit event %s (%s) was not acknowledged by the broker in time: %s", event.id(),
                    event.action(), failure.toString());
            return new AuditUnavailableException(failure);
        });
    }

    /** Whether an access may be served without waiting for its event's acknowledgement. */
    boolean takingEvents() {
        int waiting = pending.get();
        return taking && waiting < MAX_PENDING
                && (waiting == 0 || System.nanoTime() - waitingSince < stalled);
    }

    /**
     * Appends the event to the channel's Kafka producer on this thread, when that cannot block (see the class);
     * false when it was not sent.
     */
    private boolean sendDirectly(AuditEvent event) {
        Producer<String, String> direct = producer();
        if (direct == null || !takingEvents() || System.nanoTime() - lastAcknowledged > DIRECT_IDLE.toNanos()) {
            return false;
        }
        started();
        try {
            direct.send(new ProducerRecord<>(topic, event.key(), AuditJson.write(event)), (metadata, failure) -> {
                if (failure == null) {
                    acknowledged();
                } else {
                    failed(event, failure);
                }
            });
        } catch (RuntimeException failure) {
            failed(event, failure);
        }
        return true;
    }

    private Producer<String, String> producer() {
        Producer<String, String> known = producer;
        if (known == null && kafka != null) {
            try {
                var client = kafka.<String, String> getProducer(channel);
                known = client == null ? null : client.unwrap();
                producer = known;
            } catch (RuntimeException notYet) {
                // the connector has not made the channel's producer yet: the emitter's path meanwhile
                return null;
            }
        }
        return known;
    }

    private void started() {
        if (pending.getAndIncrement() == 0) {
            waitingSince = System.nanoTime();
        }
    }

    private void acknowledged() {
        long now = System.nanoTime();
        waitingSince = now;
        lastAcknowledged = now;
        pending.decrementAndGet();
        taking = true;
    }

    private void failed(AuditEvent event, Throwable failure) {
        pending.decrementAndGet();
        taking = false;
        LOG.warnf("audit event %s (%s) was not taken by the broker: %s", event.id(), event.action(),
                failure.toString());
    }

    /**
     * Hands the event to the producer now, counted as pending until the broker acknowledges it or it fails; the
     * answer is that outcome, which a caller may stop waiting for without withdrawing the event.
     */
    private Uni<Void> send(AuditEvent event) {
        started();
        Uni<Void> outcome = emitter.send(Record.of(event.key(), AuditJson.write(event))).onItem()
                .invoke(this::acknowledged).onFailure().invoke(failure -> failed(event, failure))
                .memoize().indefinitely();
        outcome.subscribe().with(ok -> {
        }, failure -> {
            // logged above
        });
        return outcome;
    }

    /**
     * Sends an event written earlier (one a service kept while the broker was away); completes once the broker has
     * it, fails otherwise, whatever {@code jhe.audit.fail-closed} says: the caller keeps it until then.
     */
    public Uni<Void> resend(String key, String eventJson) {
        return Uni.createFrom().deferred(() -> emitter.send(Record.of(key, eventJson))).ifNoItem().after(ackTimeout)
                .fail();
    }
}
