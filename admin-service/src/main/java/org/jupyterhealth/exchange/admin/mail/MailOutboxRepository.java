package org.jupyterhealth.exchange.admin.mail;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.db.Db;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/** The SQL of the mail outbox ({@code mail_outbox}): every statement runs in its caller's transaction. */
@ApplicationScoped
public class MailOutboxRepository {

    /** Queues a message, to be sent once the caller's transaction commits. */
    public Uni<Void> insert(SqlClient tx, OutgoingMail mail) {
        return Db.update(tx, "INSERT INTO mail_outbox (recipient, subject, text_body, html_body) "
                + "VALUES ($1, $2, $3, $4)", mail.recipient(), mail.subject(), mail.text(), mail.html())
                .replaceWithVoid();
    }

    /**
     * Up to {@code limit} messages that are due, oldest first, locked until the transaction ends; those another
     * replica is sending are skipped, so that no message is sent twice at once.
     */
    public Uni<List<OutgoingMail>> listDueForUpdate(SqlClient tx, int limit) {
        return Db.list(tx, "SELECT id, recipient, subject, text_body, html_body, attempts FROM mail_outbox "
                + "WHERE NOT failed AND next_attempt_at <= now() ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
                MailOutboxRepository::mail, limit);
    }

    private static OutgoingMail mail(Row r) {
        return new OutgoingMail(r.getLong(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                r.getInteger(5));
    }

    /** Forgets a message the mail server accepted (its body with it). */
    public Uni<Void> delete(SqlClient tx, long id) {
        return Db.update(tx, "DELETE FROM mail_outbox WHERE id = $1", id).replaceWithVoid();
    }

    /** Records a failed attempt: tried again at {@code next}, or never again when {@code failed}. */
    public Uni<Void> recordFailure(SqlClient tx, long id, OffsetDateTime next, boolean failed) {
        return Db.update(tx, "UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = $2, failed = $3 "
                + "WHERE id = $1", id, next, failed).replaceWithVoid();
    }

    /** How many messages were given up on: they stay for an operator to look at. */
    public Uni<Long> countFailed(SqlClient client) {
        return Db.one(client, "SELECT count(*) FROM mail_outbox WHERE failed", r -> r.getLong(0));
    }
}
