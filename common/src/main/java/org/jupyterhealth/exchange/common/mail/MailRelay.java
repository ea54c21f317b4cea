package org.jupyterhealth.exchange.common.mail;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.common.outbox.OutboxLoop;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Sends a service's mail outbox (docs/architecture.md#e-mail): right after a transaction that queued mail commits
 * ({@link #kick()}), and every second for what is due again. A message is deleted once the mail server accepted it; a
 * failure is tried again with exponential back-off ({@link Settings}), and after the last attempt the message stays,
 * failed, counted by a gauge and told in one WARN line. No line names a recipient or carries a body: only the row's
 * id, and of a failure its kind (a server's refusal can quote the address).
 *
 * <p>A batch keeps its rows locked while it sends them ({@code SKIP LOCKED}), so replicas never send one message at
 * the same time. A message is sent again only if its deletion is lost after the server accepted it (the database
 * gone at that instant): at least once, as SMTP itself.
 *
 * <p>Not a bean: each service that sends e-mail builds one over its own pool and outbox table, and starts and stops
 * it with the application.
 */
public final class MailRelay {
    private static final Logger LOG = Logger.getLogger(MailRelay.class);
    private static final int BATCH = 20;

    /**
     * How a service retries its e-mail.
     *
     * @param maxAttempts  how often a message is tried before it stays failed in the outbox
     * @param retryInitial the wait after the first failed attempt, doubled after each further one
     * @param retryMax     the longest wait between two attempts
     */
    public record Settings(int maxAttempts, Duration retryInitial, Duration retryMax) {
    }

    private final Pool pool;
    private final ReactiveMailer mailer;
    private final MailOutbox outbox;
    private final Settings settings;
    private final OutboxLoop loop;
    private final AtomicLong failed = new AtomicLong();

    /**
     * @param failedGauge the name of the gauge of messages given up on ({@code jhe.admin.mail.failed})
     */
    public MailRelay(Pool pool, ReactiveMailer mailer, MailOutbox outbox, Settings settings, MeterRegistry registry,
            String failedGauge) {
        this.pool = pool;
        this.mailer = mailer;
        this.outbox = outbox;
        this.settings = settings;
        this.loop = new OutboxLoop(this::sendBatch, BATCH,
                failure -> LOG.warnf("mail outbox not read: %s", failure.getClass().getSimpleName()));
        Gauge.builder(failedGauge, failed, AtomicLong::get)
                .description("e-mails given up on after every attempt; they stay in the mail outbox")
                .register(registry);
    }

    /** Starts the loop: once the application is up. */
    public void start() {
        countFailed().subscribe().with(v -> {
        }, failure -> {
        });
        loop.start();
    }

    public void stop() {
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
            if (attempts >= settings.maxAttempts()) {
                LOG.warnf("e-mail %d not sent after %d attempts (%s); it stays failed in the mail outbox", mail.id(),
                        attempts, failure.getClass().getSimpleName());
                return outbox.recordFailure(tx, mail.id(), OffsetDateTime.now(), true);
            }
            Duration wait = backOff(attempts, settings.retryInitial(), settings.retryMax());
            LOG.infof("e-mail %d not sent (attempt %d, %s); next attempt in %s", mail.id(), attempts,
                    failure.getClass().getSimpleName(), wait);
            return outbox.recordFailure(tx, mail.id(), OffsetDateTime.now().plus(wait), false);
        });
    }

    /** The wait after failed attempt number {@code attempts}: {@code initial}, doubled each time, up to {@code max}. */
    public static Duration backOff(int attempts, Duration initial, Duration max) {
        Duration wait = initial;
        for (int i = 1; i < attempts && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
