package org.jupyterhealth.exchange.fhir.search;

import java.util.List;
import java.util.function.Function;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Cursor;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

/**
 * Reads a statement's rows through a server-side cursor, a chunk at a time, handing each chunk (as records) to a
 * sink before the next one is fetched: memory holds one chunk whatever the result's size, and the reader goes no
 * faster than the sink. The cursor lives in a read-only transaction, so all chunks come from one snapshot. For the
 * repositories' bulk reads (export); the statement and the mapping of its rows stay the repository's.
 */
public final class ChunkedRead {
    private ChunkedRead() {
    }

    /** Returns how many rows were read. */
    public static <T> Uni<Long> read(Pool pool, SqlBuilder sql, int fetchSize, Function<RowSet<Row>, List<T>> map,
            Function<List<T>, Uni<Void>> sink) {
        return pool.withTransaction(connection -> connection.query("SET TRANSACTION READ ONLY").execute()
                .chain(() -> connection.prepare(sql.sql()))
                .chain(statement -> {
                    Cursor cursor = statement.cursor(sql.tuple());
                    return drain(cursor, fetchSize, map, sink, 0L)
                            .call(() -> cursor.close())
                            .onFailure().call(() -> cursor.close().onFailure().recoverWithNull())
                            .eventually(() -> statement.close().onFailure().recoverWithNull());
                }));
    }

    private static <T> Uni<Long> drain(Cursor cursor, int fetchSize, Function<RowSet<Row>, List<T>> map,
            Function<List<T>, Uni<Void>> sink, long before) {
        return cursor.read(fetchSize).chain(rows -> {
            List<T> chunk = map.apply(rows);
            long read = before + rows.size();
            Uni<Void> written = chunk.isEmpty() ? Uni.createFrom().voidItem() : sink.apply(chunk);
            return written.chain(() -> cursor.hasMore() ? drain(cursor, fetchSize, map, sink, read)
                    : Uni.createFrom().item(read));
        });
    }
}
