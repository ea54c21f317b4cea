package org.jupyterhealth.exchange.fhir.search;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Cursor;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

/**
 * Reads a statement's rows through a server-side cursor, a chunk at a time, handing each chunk (as records) to a
 * sink. The next chunk is fetched while the sink handles the current one, so that PostgreSQL and the sink work at
 * the same time rather than in turns (a bulk read otherwise goes at the speed of the two added up); memory holds
 * two chunks whatever the result's size, and the reader never runs more than one chunk ahead of the sink. The
 * rows are turned into records on the given executor, off the event loop: at export sizes decoding them is most of
 * the client's work. The cursor lives in a read-only transaction, so all chunks come from one snapshot. For the
 * repositories' bulk reads (export); the statement and the mapping of its rows stay the repository's.
 */
public final class ChunkedRead {
    private ChunkedRead() {
    }

    /**
     * How to fetch: {@code first} rows at first (a small first fetch brings the first rows sooner), then
     * {@code size} at a time, turned into records on {@code mapOn} (null: on the event loop).
     */
    public record Fetch(int first, int size, Executor mapOn) {
    }

    /** Returns how many rows were read. */
    public static <T> Uni<Long> read(Pool pool, SqlBuilder sql, Fetch fetch, Function<RowSet<Row>, List<T>> map,
            Function<List<T>, Uni<Void>> sink) {
        return read(pool, sql, fetch.first(), fetch.size(), fetch.mapOn(), map, sink);
    }

    /**
     * Returns how many rows were read. The first fetch is of {@code firstFetch} rows (a small one brings the first
     * rows sooner), the others of {@code fetchSize}.
     */
    public static <T> Uni<Long> read(Pool pool, SqlBuilder sql, int firstFetch, int fetchSize, Executor mapOn,
            Function<RowSet<Row>, List<T>> map, Function<List<T>, Uni<Void>> sink) {
        // every row is read: planned for the whole result, not for the first tenth as a cursor is by default
        // (which favours an index's order over a scan in the table's own order)
        return pool.withTransaction(connection -> connection
                .query("SET TRANSACTION READ ONLY; SET LOCAL cursor_tuple_fraction = 1").execute()
                .chain(() -> connection.prepare(sql.sql()))
                .chain(statement -> {
                    Cursor cursor = statement.cursor(sql.tuple());
                    return drain(cursor, cursor.read(Math.max(1, Math.min(firstFetch, fetchSize))), fetchSize, mapOn,
                            map, sink, 0L)
                            .call(() -> cursor.close())
                            .onFailure().call(() -> cursor.close().onFailure().recoverWithNull())
                            .eventually(() -> statement.close().onFailure().recoverWithNull());
                }));
    }

    private static <T> Uni<Long> drain(Cursor cursor, Uni<RowSet<Row>> fetched, int fetchSize, Executor mapOn,
            Function<RowSet<Row>, List<T>> map, Function<List<T>, Uni<Void>> sink, long before) {
        return fetched.chain(rows -> {
            long read = before + rows.size();
            // asked for now, read while this chunk is handled
            CompletableFuture<RowSet<Row>> next = cursor.hasMore()
                    ? cursor.read(fetchSize).subscribeAsCompletionStage()
                    : null;
            Uni<List<T>> chunk = Uni.createFrom().item(() -> map.apply(rows));
            if (mapOn != null) {
                chunk = chunk.runSubscriptionOn(mapOn);
            }
            return chunk.chain(records -> records.isEmpty() ? Uni.createFrom().voidItem() : sink.apply(records))
                    .onFailure().call(() -> next == null ? Uni.createFrom().voidItem()
                            // the cursor is closed after its fetch under way, never during it
                            : Uni.createFrom().completionStage(next).onFailure().recoverWithNull().replaceWithVoid())
                    .chain(() -> next == null ? Uni.createFrom().item(read)
                            : drain(cursor, Uni.createFrom().completionStage(next), fetchSize, mapOn, map, sink,
                                    read));
        });
    }
}
