package org.jupyterhealth.exchange.common.mail;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The SQL of a service's mail outbox: every statement runs in its caller's transaction. Each service that sends
 * e-mail owns a table of this shape in its own schema (its migration creates it: id from a sequence, recipient,
 * subject, text_body, html_body, attempts, next_attempt_at, failed, created) and builds one of these over it; the
 * relay that sends it is {@link MailRelay}.
 */
public final class MailOutbox {
    private static final Pattern TABLE = Pattern.compile("[a-z_]+(\\.[a-z_]+)?");

    private final String table;

    /** @param table the outbox table, qualified by its schema or not: a constant of the service, never input */
    public MailOutbox(String table) {
        if (!TABLE.matcher(table).matches()) {
            throw new IllegalArgumentException("not a table name: " + table);
        }
        this.table = table;
    }

    /** Queues a message, to be sent once the caller's transaction commits. */
    public Uni<Void> insert(SqlClient tx, OutgoingMail mail) {
        return tx.preparedQuery("INSERT INTO " + table + " (recipient, subject, text_body, html_body) "
                + "VALUES ($1, $2, $3, $4)")
                .execute(Tuple.of(mail.recipient(), mail.subject(), mail.text(), mail.html()))
                .replaceWithVoid();
    }

    /**
     * Up to {@code limit} messages that are due, oldest first, locked until the transaction ends; those another
     * replica is sending are skipped, so that no message is sent twice at once.
     */
    public Uni<List<OutgoingMail>> listDueForUpdate(SqlClient tx, int limit) {
        return tx.preparedQuery("SELECT id, recipient, subject, text_body, html_body, attempts FROM " + table
                + " WHERE NOT failed AND next_attempt_at <= now() ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED")
                .execute(Tuple.of(limit))
                .map(rows -> {
                    List<OutgoingMail> mails = new ArrayList<>(rows.size());
                    for (Row r : rows) {
                        mails.add(new OutgoingMail(r.getLong(0), r.getString(1), r.getString(2), r.getString(3),
                                r.getString(4), r.getInteger(5)));
                    }
                    return mails;
                });
    }

    /** Forgets a message the mail server accepted (its body with it). */
    public Uni<Void> delete(SqlClient tx, long id) {
        return tx.preparedQuery("DELETE FROM " + table + " WHERE id = $1").execute(Tuple.of(id)).replaceWithVoid();
    }

    /** Records a failed attempt: tried again at {@code next}, or never again when {@code failed}. */
    public Uni<Void> recordFailure(SqlClient tx, long id, OffsetDateTime next, boolean failed) {
        return tx.preparedQuery("UPDATE " + table + " SET attempts = attempts + 1, next_attempt_at = $2, "
                + "failed = $3 WHERE id = $1")
                .execute(Tuple.of(id, next, failed))
                .replaceWithVoid();
    }

    /** How many messages were given up on: they stay for an operator to look at. */
    public Uni<Long> countFailed(SqlClient client) {
        return client.preparedQuery("SELECT count(*) FROM " + table + " WHERE failed").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }
}
