package org.jupyterhealth.exchange.admin.mail;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.admin.config.AdminConfig;
import org.jupyterhealth.exchange.admin.db.OutboxLoop;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Sends the mail outbox (docs/architecture.md#e-mail): right after a transaction that queued mail commits, and every
 * second for what is due again. A message is deleted once the mail server accepted it; a failure is tried again
 * with exponential back-off ({@code jhe.admin.mail.*}), and after the last attempt the message stays, failed, counted
 * by the gauge {@code jhe_admin_mail_failed} and told in one WARN line. No line names a recipient or carries a body:
 * only the row's id, and of a failure its kind (a server's refusal can quote the address).
 *
 * <p>A batch keeps its rows locked while it sends them ({@code SKIP LOCKED}), so replicas never send one message at
 * the same time. A message is sent again only if its deletion is lost after the server accepted it (the database
 * gone at that instant): at least once, as SMTP itself.
 */
@ApplicationScoped
public class MailRelay {
    private static final Logger LOG = Logger.getLogger(MailRelay.class);
    private static final int BATCH = 20;

    private final Pool pool;
    private final ReactiveMailer mailer;
    private final MailOutboxRepository outbox;
    private final AdminConfig.Mail config;
    private final OutboxLoop loop;
    private final AtomicLong failed = new AtomicLong();

    public MailRelay(Pool pool, ReactiveMailer mailer, MailOutboxRepository outbox, AdminConfig config,
            MeterRegistry registry) {
        this.pool = pool;
        this.mailer = mailer;
        this.outbox = outbox;
        this.config = config.mail();
        this.loop = new OutboxLoop(this::sendBatch, BATCH,
                failure -> LOG.warnf("mail outbox not read: %s", failure.getClass().getSimpleName()));
        Gauge.builder("jhe.admin.mail.failed", failed, AtomicLong::get)
                .description("e-mails given up on after every attempt; they stay in mail_outbox").register(registry);
    }

    void start(@Observes StartupEvent event) {
        countFailed().subscribe().with(v -> {
        }, failure -> {
        });
        loop.start();
    }

    void stop(@Observes ShutdownEvent event) {
        loop.stop();
    }

    /** Asks for the outbox to be sent soon; returns at once. */
    public void kick() {
        loop.kick();
    }

    /** Sends the messages that are due, up to one batch, one after the other; returns how many it took. */
    Uni<Integer> sendBatch() {
        return pool.withTransaction(tx -> outbox.listDueForUpdate(tx, BATCH).flatMap(mails -> Multi.createFrom()
                .iterable(mails).onItem().transformToUniAndConcatenate(mail -> send(tx, mail)).collect().asList()
                .map(sent -> mails.size())))
                .call(taken -> taken > 0 ? countFailed() : Uni.createFrom().voidItem());
    }

    private Uni<Void> countFailed() {
        return outbox.countFailed(pool).invoke(failed::set).replaceWithVoid();
    }

    private Uni<Void> send(SqlClient tx, OutgoingMail mail) {
        Mail message = Mail.withText(mail.recipient(), mail.subject(), mail.text()).setHtml(mail.html());
        return mailer.send(message).onItemOrFailure().transformToUni((ok, failure) -> {
            if (failure == null) {
                return outbox.delete(tx, mail.id());
            }
            int attempts = mail.attempts() + 1;
            if (attempts >= config.maxAttempts()) {
                LOG.warnf("e-mail %d not sent after %d attempts (%s); it stays failed in the mail outbox", mail.id(),
                        attempts, failure.getClass().getSimpleName());
                return outbox.recordFailure(tx, mail.id(), OffsetDateTime.now(), true);
            }
            Duration wait = backOff(attempts, config.retryInitial(), config.retryMax());
            LOG.infof("e-mail %d not sent (attempt %d, %s); next attempt in %s", mail.id(), attempts,
                    failure.getClass().getSimpleName(), wait);
            return outbox.recordFailure(tx, mail.id(), OffsetDateTime.now().plus(wait), false);
        });
    }

    /** The wait after failed attempt number {@code attempts}: {@code initial}, doubled each time, up to {@code max}. */
    static Duration backOff(int attempts, Duration initial, Duration max) {
        Duration wait = initial;
        for (int i = 1; i < attempts && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
