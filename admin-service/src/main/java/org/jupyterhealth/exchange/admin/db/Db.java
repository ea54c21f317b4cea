package org.jupyterhealth.exchange.admin.db;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.event.EventRelay;
import org.jupyterhealth.exchange.common.mail.MailRelay;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The reactive PostgreSQL pool of schema {@code admin}: reads run on the pool, every write in one transaction
 * ({@link #inTransaction}); domain events and e-mails written to their outboxes in that transaction are published
 * and sent once it commits.
 */
@ApplicationScoped
public class Db {
    private final Pool pool;
    private final EventRelay relay;
    private final MailRelay mail;

    public Db(Pool pool, EventRelay relay, MailRelay mail) {
        this.pool = pool;
        this.relay = relay;
        this.mail = mail;
    }

    public SqlClient client() {
        return pool;
    }

    /** Runs the work in one transaction, then has the events and e-mails it recorded published and sent. */
    public <T> Uni<T> inTransaction(Function<SqlClient, Uni<T>> work) {
        return pool.withTransaction(work::apply).invoke(() -> {
            relay.kick();
            mail.kick();
        });
    }

    public Uni<RowSet<Row>> query(String sql, Object... params) {
        return query(pool, sql, params);
    }

    public static Uni<RowSet<Row>> query(SqlClient client, String sql, Object... params) {
        return client.preparedQuery(sql).execute(Tuple.from(params));
    }

    public <T> Uni<List<T>> list(String sql, Function<Row, T> mapper, Object... params) {
        return list(pool, sql, mapper, params);
    }

    public static <T> Uni<List<T>> list(SqlClient client, String sql, Function<Row, T> mapper, Object... params) {
        return query(client, sql, params).map(rows -> {
            List<T> out = new ArrayList<>(rows.size());
            for (Row row : rows) {
                out.add(mapper.apply(row));
            }
            return out;
        });
    }

    /** The first row mapped, or null when there is none. */
    public <T> Uni<T> one(String sql, Function<Row, T> mapper, Object... params) {
        return one(pool, sql, mapper, params);
    }

    public static <T> Uni<T> one(SqlClient client, String sql, Function<Row, T> mapper, Object... params) {
        return query(client, sql, params).map(rows -> {
            var it = rows.iterator();
            return it.hasNext() ? mapper.apply(it.next()) : null;
        });
    }

    public Uni<Long> count(String sql, Object... params) {
        return one(sql, row -> row.getLong(0), params);
    }

    public static Uni<Integer> update(SqlClient client, String sql, Object... params) {
        return query(client, sql, params).map(RowSet::rowCount);
    }

    /** {@code Long[]} for {@code = ANY($n)} parameters. */
    public static Long[] ids(Collection<Long> ids) {
        return ids.toArray(new Long[0]);
    }
}
