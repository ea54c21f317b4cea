package org.jupyterhealth.exchange.common.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaProducer;
import io.smallrye.reactive.messaging.kafka.Record;

/**
 * The rules of {@link AuditEmitter}, against a Kafka producer that acknowledges or fails when the test says so
 * (Kafka's own {@link MockProducer}) and a channel whose sends the test completes: when an access goes on at once,
 * when it waits for its event and is refused without it, and what an event never holds.
 */
class AuditEmitterTest {
    /** Long enough that a busy machine does not time out an access the test is still looking at. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The members an event may have (docs/internal-api.yaml AuditEvent): none of them holds data or a credential. */
    private static final Set<String> MEMBERS = Set.of("action", "clientAddress", "clientId", "count", "id", "outcome",
            "patientIds", "query", "recorded", "requestId", "resourceIds", "resourceType", "role", "service", "status",
            "userId");

    private final Channel channel = new Channel();
    private final MockProducer<String, String> producer = new MockProducer<>(false, null, new StringSerializer(),
            new StringSerializer());

    private AuditEmitter emitter(boolean enabled, boolean failClosed) {
        return emitter(enabled, failClosed, ACK_TIMEOUT, AuditEmitter.STALLED);
    }

    /**
     * With how long an access waits for its event, and how long pending events may go unacknowledged before the
     * broker counts as no longer taking events.
     */
    private AuditEmitter emitter(boolean enabled, boolean failClosed, Duration ackTimeout, Duration stalled) {
        return new AuditEmitter(channel, new Clients(producer), "audit-events", "audit-events", enabled, failClosed,
                ackTimeout, stalled);
    }

    private static AuditEvent search(long patient) {
        return AuditEvent.of(AuditAction.SEARCH).service("fhir-service").agent(10001L, "practitioner", "demo-app")
                .resource("Observation", List.of()).search("patient=" + patient + "&_count=5", 5)
                .patients(List.of(patient)).request("req-" + patient, "10.0.0.7").build();
    }

    private static UniAssertSubscriber<Void> subscribe(Uni<Void> uni) {
        return uni.subscribe().withSubscriber(UniAssertSubscriber.create());
    }

    /** The broker has acknowledged one event through the channel: from then on the broker is taking events. */
    private void brokerTakingEvents(AuditEmitter audit) {
        UniAssertSubscriber<Void> first = subscribe(audit.emit(search(1)));
        channel.acknowledgeAll();
        first.awaitItem(WAIT);
    }

    @Test
    void beforeTheBrokerHasAcknowledgedAnythingAnAccessWaitsForItsOwnEvent() {
        AuditEmitter audit = emitter(true, true);

        UniAssertSubscriber<Void> access = subscribe(audit.emit(search(40001)));

        // the access waits for its event's acknowledgement
        access.assertNotTerminated();
        assertThat(channel.sent).hasSize(1);
        assertThat(producer.history()).as("nothing goes straight to a producer the broker has not answered").isEmpty();
        channel.acknowledgeAll();
        access.awaitItem(WAIT);
    }

    @Test
    void anAccessWhoseEventIsNotAcknowledgedInTimeIsRefused() {
        AuditEmitter audit = emitter(true, true);

        UniAssertSubscriber<Void> access = subscribe(audit.emit(search(40001)));

        access.awaitFailure(WAIT).assertFailedWith(AuditUnavailableException.class,
                AuditUnavailableException.MESSAGE);
    }

    @Test
    void anAccessWhoseEventTheBrokerRefusesIsRefused() {
        AuditEmitter audit = emitter(true, true);

        UniAssertSubscriber<Void> access = subscribe(audit.emit(search(40001)));
        channel.failAll(new TimeoutException("broker away"));

        access.awaitFailure(WAIT).assertFailedWith(AuditUnavailableException.class,
                AuditUnavailableException.MESSAGE);
    }

    @Test
    void whileTheBrokerTakesEventsAnAccessGoesOnAtOnceAndItsEventGoesStraightToTheProducer() {
        AuditEmitter audit = emitter(true, true);
        brokerTakingEvents(audit);

        UniAssertSubscriber<Void> access = subscribe(audit.emit(search(40001)));

        // no wait for the acknowledgement
        access.assertCompleted();
        assertThat(channel.sent).as("only the first event went through the channel").hasSize(1);
        assertThat(producer.history()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo("audit-events");
            assertThat(record.key()).as("keyed by the event's patient").isEqualTo("40001");
            assertThat(AuditJson.read(record.value()).requestId()).isEqualTo("req-40001");
        });
    }

    @Test
    void afterTheProducerFailsAnEventAccessesWaitForTheirOwnAgain() {
        AuditEmitter audit = emitter(true, true);
        brokerTakingEvents(audit);
        subscribe(audit.emit(search(40001))).assertCompleted();

        producer.errorNext(new TimeoutException("expired in the producer's buffer"));
        UniAssertSubscriber<Void> next = subscribe(audit.emit(search(40002)));

        next.assertNotTerminated();
        assertThat(producer.history()).as("the next event waits on the channel, not in the producer").hasSize(1);
        next.awaitFailure(WAIT).assertFailedWith(AuditUnavailableException.class,
                AuditUnavailableException.MESSAGE);
    }

    @Test
    void theFirstAcknowledgementAfterAFailureMakesAccessesGoOnAtOnceAgain() {
        AuditEmitter audit = emitter(true, true);
        brokerTakingEvents(audit);
        subscribe(audit.emit(search(40001))).assertCompleted();
        producer.errorNext(new TimeoutException("expired in the producer's buffer"));

        UniAssertSubscriber<Void> waiting = subscribe(audit.emit(search(40002)));
        channel.acknowledgeAll();
        waiting.awaitItem(WAIT);

        subscribe(audit.emit(search(40003))).assertCompleted();
        assertThat(producer.history()).hasSize(2);
    }

    @Test
    void eventsLeftUnacknowledgedTooLongMakeAccessesWaitAgain() throws InterruptedException {
        AuditEmitter audit = emitter(true, true, ACK_TIMEOUT, Duration.ofMillis(200));
        brokerTakingEvents(audit);
        subscribe(audit.emit(search(40001))).assertCompleted();

        Thread.sleep(400);
        UniAssertSubscriber<Void> next = subscribe(audit.emit(search(40002)));

        // the broker stopped answering: the access waits
        next.assertNotTerminated();
        producer.completeNext();
        channel.acknowledgeAll();
        next.awaitItem(WAIT);
    }

    @Test
    void pendingEventsAreBoundedAndBeyondThemAnAccessWaitsForItsOwn() {
        // however slow the machine, the events below do not count as stalled while they are being sent, nor does
        // the access beyond them time out while the broker catches up
        AuditEmitter audit = emitter(true, true, Duration.ofMinutes(1), Duration.ofMinutes(5));
        brokerTakingEvents(audit);
        AuditEvent event = search(40001);
        for (int i = 0; i < AuditEmitter.MAX_PENDING; i++) {
            subscribe(audit.emit(event)).assertCompleted();
        }

        UniAssertSubscriber<Void> beyond = subscribe(audit.emit(search(40002)));

        beyond.assertNotTerminated();
        assertThat(producer.history()).hasSize(AuditEmitter.MAX_PENDING);
        while (producer.completeNext()) {
            // the broker catches up
        }
        channel.acknowledgeAll();
        beyond.awaitItem(WAIT);
        subscribe(audit.emit(search(40003))).assertCompleted();
    }

    @Test
    void aWriteThatKeepsItsEventWaitsForTheAcknowledgementEvenWhileTheBrokerTakesEvents() {
        AuditEmitter audit = emitter(true, true);
        brokerTakingEvents(audit);

        UniAssertSubscriber<Void> write = subscribe(audit.emitAcknowledged(search(40001)));

        write.assertNotTerminated();
        write.awaitFailure(WAIT).assertFailedWith(AuditUnavailableException.class,
                AuditUnavailableException.MESSAGE);
    }

    @Test
    void failingOpenAnAccessGoesOnWhateverTheBrokerDoes() {
        AuditEmitter audit = emitter(true, false);

        UniAssertSubscriber<Void> access = subscribe(audit.emit(search(40001)));
        channel.failAll(new TimeoutException("broker away"));

        access.assertCompleted();
        assertThat(channel.sent).as("the event was still sent").hasSize(1);
        subscribe(audit.emit(search(40002))).assertCompleted();
    }

    @Test
    void disabledNothingIsSentAndNothingWaits() {
        AuditEmitter audit = emitter(false, true);

        assertThat(audit.enabled()).isFalse();
        assertThat(emitter(true, true).enabled()).isTrue();
        subscribe(audit.emit(search(40001))).assertCompleted();
        subscribe(audit.emitAcknowledged(search(40001))).assertCompleted();

        assertThat(channel.sent).isEmpty();
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void beforeTheConnectorHasMadeItsProducerEventsGoThroughTheChannel() {
        AuditEmitter audit = new AuditEmitter(channel, new Clients(null), "audit-events", "audit-events", true, true,
                ACK_TIMEOUT);
        brokerTakingEvents(audit);

        UniAssertSubscriber<Void> access = subscribe(audit.emit(search(40001)));

        access.assertCompleted();
        assertThat(channel.sent).hasSize(2);
    }

    @Test
    void anEventNeverHoldsACredentialOrTheDataItself() throws Exception {
        AuditEmitter audit = emitter(true, true);
        brokerTakingEvents(audit);
        String token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMDAwMSJ9.c2lnbmF0dXJl";
        AuditEvent event = AuditEvent.of(AuditAction.SEARCH).service("fhir-service")
                .agent(10001L, "patient", "demo-app\u0000\r\nforged: yes").resource("Observation", List.of())
                .search("patient=40001&access_token=" + token + "&client_secret=s3cr3t&PASSWORD=hunter2"
                        + "&code=omh%3Aheart-rate%3A2.0", 2)
                .patients(List.of(40001L)).request("req\u0007-1", "10.0.0.7").build();

        subscribe(audit.emit(event)).assertCompleted();

        String value = producer.history().get(0).value();
        assertThat(value).doesNotContain(token).doesNotContain("s3cr3t").doesNotContain("hunter2")
                .doesNotContain("access_token");
        assertThat(value.chars().filter(Character::isISOControl)).isEmpty();
        List<String> members = new ArrayList<>();
        new ObjectMapper().readTree(value).fieldNames().forEachRemaining(members::add);
        assertThat(MEMBERS).as("no member that could carry a body or a token").containsAll(members);
        AuditEvent sent = AuditJson.read(value);
        assertThat(sent.query()).isEqualTo("patient=40001&code=omh%3Aheart-rate%3A2.0");
        assertThat(sent.clientId()).isEqualTo("demo-appforged: yes");
        assertThat(sent.requestId()).isEqualTo("req-1");
    }

    @Test
    void aResentEventIsSentAsItWasKeptAndFailsWhenNotAcknowledged() {
        AuditEmitter audit = emitter(true, false);
        String kept = AuditJson.write(search(40001));

        UniAssertSubscriber<Void> resent = subscribe(audit.resend("40001", kept));

        assertThat(channel.sent).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("40001");
            assertThat(record.value()).isEqualTo(kept);
        });
        resent.awaitFailure(WAIT);
    }

    /** The channel's emitter: remembers every record and answers when the test says so. */
    static final class Channel implements MutinyEmitter<Record<String, String>> {
        final List<Record<String, String>> sent = new CopyOnWriteArrayList<>();
        private final List<CompletableFuture<Void>> outcomes = new CopyOnWriteArrayList<>();

        @Override
        public Uni<Void> send(Record<String, String> record) {
            CompletableFuture<Void> outcome = new CompletableFuture<>();
            sent.add(record);
            outcomes.add(outcome);
            return Uni.createFrom().completionStage(outcome);
        }

        void acknowledgeAll() {
            outcomes.forEach(outcome -> outcome.complete(null));
        }

        void failAll(RuntimeException failure) {
            outcomes.forEach(outcome -> outcome.completeExceptionally(failure));
        }

        @Override
        public void sendAndAwait(Record<String, String> record) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Cancellable sendAndForget(Record<String, String> record) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <M extends Message<? extends Record<String, String>>> void send(M message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <M extends Message<? extends Record<String, String>>> Uni<Void> sendMessage(M message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <M extends Message<? extends Record<String, String>>> void sendMessageAndAwait(M message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <M extends Message<? extends Record<String, String>>> Cancellable sendMessageAndForget(M message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void complete() {
        }

        @Override
        public void error(Exception e) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean hasRequests() {
            return true;
        }
    }

    /** The connector's clients: the channel's producer once made ({@code null}: not made yet). */
    record Clients(Producer<String, String> producer) implements KafkaClientService {
        @Override
        @SuppressWarnings("unchecked")
        public <K, V> KafkaProducer<K, V> getProducer(String channel) {
            if (producer == null) {
                throw new IllegalStateException("no producer for channel " + channel + " yet");
            }
            return (KafkaProducer<K, V>) (KafkaProducer<?, ?>) new Wrapped(producer);
        }

        @Override
        public <K, V> List<io.smallrye.reactive.messaging.kafka.KafkaConsumer<K, V>> getConsumers(String channel) {
            return List.of();
        }

        @Override
        public Set<String> getConsumerChannels() {
            return Set.of();
        }

        @Override
        public Set<String> getProducerChannels() {
            return Set.of("audit-events");
        }
    }

    /** Only what the emitter uses of the connector's producer: the Kafka producer it wraps. */
    record Wrapped(Producer<String, String> unwrap) implements KafkaProducer<String, String> {
        @Override
        public Map<String, ?> configuration() {
            return Map.of();
        }

        @Override
        public <R> Uni<R> runOnSendingThread(Function<Producer<String, String>, R> action) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<Void> runOnSendingThread(Consumer<Producer<String, String>> action) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<RecordMetadata> send(ProducerRecord<String, String> record) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<Void> flush() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<List<PartitionInfo>> partitionsFor(String topic) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<Void> initTransactions() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<Void> beginTransaction() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<Void> commitTransaction() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<Void> abortTransaction() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Uni<Void> sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets,
                ConsumerGroupMetadata group) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }
}
