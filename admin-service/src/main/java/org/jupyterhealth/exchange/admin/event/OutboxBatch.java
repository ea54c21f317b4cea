package org.jupyterhealth.exchange.admin.event;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * One batch of an outbox table of admin-service ({@code id, event_key, payload}): its oldest rows, locked while
 * being sent ({@code FOR UPDATE SKIP LOCKED}, so that replicas never send the same row), sent one after another in
 * id order, and deleted in the same transaction once every send succeeded; a failed send rolls the batch back, to
 * be tried again whole.
 */
public final class OutboxBatch {
    private OutboxBatch() {
    }

    /**
     * @param table a table of this service's own schema (a constant, never input)
     * @param send  sends one row's payload under its key; completes once the broker acknowledged it
     * @return how many rows were sent
     */
    public static Uni<Integer> send(Pool pool, String table, int limit, BiFunction<String, String, Uni<Void>> send) {
        return pool.withTransaction(tx -> tx.preparedQuery("SELECT id, event_key, payload FROM " + table
                + " ORDER BY id LIMIT " + limit + " FOR UPDATE SKIP LOCKED")
                .execute()
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(0);
                    }
                    List<Long> ids = new ArrayList<>();
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Row row : rows) {
                        ids.add(row.getLong("id"));
                        String key = row.getString("event_key");
                        String payload = row.getString("payload");
                        chain = chain.chain(() -> send.apply(key, payload));
                    }
                    return chain.chain(() -> tx.preparedQuery("DELETE FROM " + table + " WHERE id = ANY($1)")
                            .execute(Tuple.of(ids.toArray(new Long[0]))))
                            .map(deleted -> ids.size());
                }));
    }
}
