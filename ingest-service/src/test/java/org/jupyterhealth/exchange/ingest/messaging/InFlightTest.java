package org.jupyterhealth.exchange.ingest.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;

/** Stopping waits for the records in progress and starts no other. */
class InFlightTest {

    @Test
    void stoppingWaitsForTheRecordInProgressToFinish() throws Exception {
        InFlight inFlight = new InFlight();
        CompletableFuture<Void> work = new CompletableFuture<>();
        UniAssertSubscriber<Void> running = inFlight.run(() -> Uni.createFrom().completionStage(work))
                .subscribe().withSubscriber(UniAssertSubscriber.create());

        CompletableFuture<Integer> stopped = CompletableFuture.supplyAsync(
                () -> inFlight.stopAndAwait(Duration.ofSeconds(10)));
        Thread.sleep(200);
        assertThat(stopped).isNotDone();
        work.complete(null);

        assertThat(stopped.get()).isZero();
        running.assertCompleted();
    }

    @Test
    void aRecordArrivingWhileStoppingIsNeitherProcessedNorAcknowledged() {
        InFlight inFlight = new InFlight();
        inFlight.stopAndAwait(Duration.ofSeconds(1));
        AtomicBoolean processed = new AtomicBoolean();

        UniAssertSubscriber<Void> held = inFlight.run(() -> {
            processed.set(true);
            return Uni.createFrom().voidItem();
        }).subscribe().withSubscriber(UniAssertSubscriber.create());

        assertThat(processed).isFalse();
        held.assertNotTerminated();
    }

    @Test
    void theWaitEndsAfterItsBoundAndReportsWhatStillRuns() {
        InFlight inFlight = new InFlight();
        inFlight.run(() -> Uni.createFrom().nothing()).subscribe().with(x -> {
        });

        long started = System.nanoTime();
        int unfinished = inFlight.stopAndAwait(Duration.ofMillis(300));

        assertThat(unfinished).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(250),
                Duration.ofSeconds(3));
    }
}
