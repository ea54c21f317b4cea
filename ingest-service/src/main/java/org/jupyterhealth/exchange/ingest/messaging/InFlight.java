package org.jupyterhealth.exchange.ingest.messaging;

import java.time.Duration;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;

/**
 * The records a consumer is processing, so that stopping the service lets them finish instead of cutting them
 * short. Once stopping has begun, a record is not started: it stays unacknowledged, so its offset is not
 * committed and the next owner of its partition processes it (at-least-once delivery; the processing is
 * idempotent). Records already started are waited for, up to a bound, before the consumers commit and close.
 */
public final class InFlight {
    private final Object lock = new Object();
    private int running;
    private boolean stopping;

    /**
     * The processing of one record, counted from its subscription to its end; once stopping has begun, a record is
     * held instead (never acknowledged).
     */
    public Uni<Void> run(Supplier<Uni<Void>> processing) {
        return Uni.createFrom().deferred(() -> {
            synchronized (lock) {
                if (stopping) {
                    return Uni.createFrom().nothing();
                }
                running++;
            }
            Uni<Void> started;
            try {
                started = processing.get();
            } catch (RuntimeException e) {
                finished();
                throw e;
            }
            return started.onTermination().invoke(this::finished);
        });
    }

    /**
     * Stops starting records and waits until the running ones have finished, at most {@code patience}.
     *
     * @return how many were still running when the wait ended
     */
    public int stopAndAwait(Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        synchronized (lock) {
            stopping = true;
            while (running > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return running;
        }
    }

    private void finished() {
        synchronized (lock) {
            running--;
            lock.notifyAll();
        }
    }
}
