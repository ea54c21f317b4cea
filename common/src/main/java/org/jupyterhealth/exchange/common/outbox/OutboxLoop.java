package org.jupyterhealth.exchange.common.outbox;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * The loop of an outbox relay: one batch at a time, another right away while a batch was full or someone asked
 * during it ({@link #kick()}, after a commit), and one every second for what an earlier attempt left behind. Which
 * rows a batch takes, and that no two replicas take the same ones, is the relay's query ({@code SKIP LOCKED}).
 */
public final class OutboxLoop {
    private final Supplier<Uni<Integer>> batch;
    private final int batchSize;
    private final Consumer<Throwable> onFailure;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private Cancellable ticker;

    /**
     * @param batch     sends one batch; its item is how many rows it took
     * @param batchSize the most rows a batch takes: a full one means more may be waiting
     * @param onFailure told why a batch failed (it is tried again within a second)
     */
    public OutboxLoop(Supplier<Uni<Integer>> batch, int batchSize, Consumer<Throwable> onFailure) {
        this.batch = batch;
        this.batchSize = batchSize;
        this.onFailure = onFailure;
    }

    public void start() {
        ticker = Multi.createFrom().ticks().every(Duration.ofSeconds(1)).subscribe().with(t -> kick(), e -> {
        });
    }

    public void stop() {
        if (ticker != null) {
            ticker.cancel();
        }
    }

    /** Asks for a batch soon; returns at once. */
    public void kick() {
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        again.set(false);
        batch.get().subscribe().with(taken -> done(taken >= batchSize), failure -> {
            onFailure.accept(failure);
            done(false);
        });
    }

    private void done(boolean more) {
        running.set(false);
        if (more || again.getAndSet(false)) {
            kick();
        }
    }
}
