package org.jupyterhealth.exchange.fhir.search;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.mutiny.sqlclient.Cursor;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

/**
 * Reads a statement's rows through a server-side cursor, a chunk at a time, handing each chunk (as records) to a
 * sink. The next chunk is fetched while the sink handles the current one, so that PostgreSQL and the sink work at
 * the same time rather than in turns (a bulk read otherwise goes at the speed of the two added up), unless the
 * caller's {@link Pace} asks for turns and pauses (to give way to other work); memory holds
 * two chunks whatever the result's size, and the reader never runs more than one chunk ahead of the sink. The
 * rows are turned into records on the given executor, off the event loop: at export sizes decoding them is most of
 * the client's work. The cursor lives in a read-only transaction, so all chunks come from one snapshot. For the
 * repositories' bulk reads (export); the statement and the mapping of its rows stay the repository's.
 */
public final class ChunkedRead {
    private ChunkedRead() {
    }

    /**
     * How to fetch: {@code first} rows at first (a small first fetch brings the first rows sooner), then as
     * {@code pace} decides at each chunk (null: {@code size} at a time, read ahead), turned into records on
     * {@code mapOn} (null: on the event loop).
     */
    public record Fetch(int first, int size, Executor mapOn, Pace pace) {
        public Fetch(int first, int size, Executor mapOn) {
            this(first, size, mapOn, null);
        }
    }

    /**
     * The reader's next step, decided as each chunk arrives: read ahead (the next fetch asked for at once, while
     * the chunk is handled: PostgreSQL and the sink busy at the same time), or in turns (the chunk handled first,
     * then a pause, then the next fetch: at most one of the two busy, and idle for the pause). A bulk read that
     * shares the machine with interactive work uses the second to give way to it.
     */
    @FunctionalInterface
    public interface Pace {
        Step next();
    }

    /** {@code size} rows next; {@code pause} before asking for them, unless {@code readAhead}. */
    public record Step(int size, Duration pause, boolean readAhead) {
        /** The next {@code size} rows asked for at once, while the chunk is handled. */
        public static Step readAhead(int size) {
            return new Step(size, Duration.ZERO, true);
        }

        /** The chunk handled first, then {@code pause}, then the next {@code size} rows. */
        public static Step inTurns(int size, Duration pause) {
            return new Step(size, pause, false);
        }
    }

    /** Returns how many rows were read. */
    public static <T> Uni<Long> read(Pool pool, SqlBuilder sql, Fetch fetch, Function<RowSet<Row>, List<T>> map,
            Function<List<T>, Uni<Void>> sink) {
        int size = Math.max(1, fetch.size());
        Pace pace = fetch.pace() != null ? fetch.pace() : () -> Step.readAhead(size);
        // every row is read: planned for the whole result, not for the first tenth as a cursor is by default
        // (which favours an index's order over a scan in the table's own order); and a scan of the table starts at
        // its first page, never where another scan of it has got to (PostgreSQL's synchronized scans), so that a
        // statement read again (a job redone) gives its rows in the same order while the table is unchanged
        return pool.withTransaction(connection -> connection
                .query("SET TRANSACTION READ ONLY; SET LOCAL cursor_tuple_fraction = 1; "
                        + "SET LOCAL synchronize_seqscans = off").execute()
                .chain(() -> connection.prepare(sql.sql()))
                .chain(statement -> {
                    Cursor cursor = statement.cursor(sql.tuple());
                    return drain(cursor, cursor.read(Math.max(1, Math.min(fetch.first(), size))), pace,
                            fetch.mapOn(), map, sink)
                            .call(() -> cursor.close())
                            .onFailure().call(() -> cursor.close().onFailure().recoverWithNull())
                            .eventually(() -> statement.close().onFailure().recoverWithNull());
                }));
    }

    private static <T> Uni<Long> drain(Cursor cursor, Uni<RowSet<Row>> first, Pace pace, Executor mapOn,
            Function<RowSet<Row>, List<T>> map, Function<List<T>, Uni<Void>> sink) {
        return Uni.createFrom().emitter(emitter -> new Drain<>(cursor, pace, mapOn, map, sink, emitter)
                .step(first.subscribeAsCompletionStage()));
    }

    /**
     * The loop over the chunks, one step per chunk: each step's work is subscribed on its own and ends before the
     * next begins, so that nothing of a chunk is kept once it is written (chained Unis, one per chunk, would hold
     * every chunk until the last one).
     */
    private static final class Drain<T> {
        private final Cursor cursor;
        private final Pace pace;
        private final Executor mapOn;
        private final Function<RowSet<Row>, List<T>> map;
        private final Function<List<T>, Uni<Void>> sink;
        private final UniEmitter<? super Long> done;
        private long read;

        Drain(Cursor cursor, Pace pace, Executor mapOn, Function<RowSet<Row>, List<T>> map,
                Function<List<T>, Uni<Void>> sink, UniEmitter<? super Long> done) {
            this.cursor = cursor;
            this.pace = pace;
            this.mapOn = mapOn;
            this.map = map;
            this.sink = sink;
            this.done = done;
        }

        void step(CompletionStage<RowSet<Row>> fetched) {
            fetched.whenComplete((rows, fetchFailure) -> {
                if (fetchFailure != null) {
                    done.fail(fetchFailure);
                    return;
                }
                read += rows.size();
                Step then = cursor.hasMore() ? pace.next() : null;
                // read ahead: asked for now, read while this chunk is handled
                CompletableFuture<RowSet<Row>> next = then != null && then.readAhead()
                        ? cursor.read(Math.max(1, then.size())).subscribeAsCompletionStage()
                        : null;
                Uni<List<T>> chunk = Uni.createFrom().item(() -> map.apply(rows));
                if (mapOn != null) {
                    chunk = chunk.runSubscriptionOn(mapOn);
                }
                chunk.chain(records -> records.isEmpty() ? Uni.createFrom().voidItem() : sink.apply(records))
                        .subscribe().with(written -> {
                            if (then == null) {
                                done.complete(read);
                            } else if (next != null) {
                                step(next);
                            } else {
                                step(inTurn(then));
                            }
                        }, failure -> {
                            if (next == null) {
                                done.fail(failure);
                            } else {
                                // the cursor is closed after its fetch under way, never during it
                                next.whenComplete((ignored, also) -> done.fail(failure));
                            }
                        });
            });
        }

        /** The next fetch of a reader in turns: asked for once the pause has passed. */
        private CompletionStage<RowSet<Row>> inTurn(Step then) {
            Uni<RowSet<Row>> fetch = Uni.createFrom().deferred(() -> cursor.read(Math.max(1, then.size())));
            return (!then.pause().isNegative() && !then.pause().isZero()
                    ? Uni.createFrom().voidItem().onItem().delayIt().by(then.pause()).chain(() -> fetch)
                    : fetch).subscribeAsCompletionStage();
        }
    }
}
