package org.jupyterhealth.exchange.admin.mail;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jupyterhealth.exchange.admin.config.AdminConfig;
import org.jupyterhealth.exchange.common.mail.MailOutbox;
import org.jupyterhealth.exchange.common.mail.MailRelay;
import org.jupyterhealth.exchange.common.mail.MailTemplates;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.qute.Engine;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * admin-service's e-mail (docs/architecture.md#e-mail): the shared outbox and relay of {@code common} over its own
 * table {@code mail_outbox}, retried as {@code jhe.admin.mail.*} says, its failures counted by the gauge
 * {@code jhe_admin_mail_failed}.
 */
@ApplicationScoped
public class MailSetup {

    @Produces
    @Singleton
    MailOutbox outbox() {
        return new MailOutbox("mail_outbox");
    }

    @Produces
    @Singleton
    MailTemplates templates(Engine engine) {
        return new MailTemplates(engine);
    }

    @Produces
    @Singleton
    MailRelay relay(Pool pool, ReactiveMailer mailer, MailOutbox outbox, AdminConfig config, MeterRegistry registry) {
        AdminConfig.Mail mail = config.mail();
        return new MailRelay(pool, mailer, outbox,
                new MailRelay.Settings(mail.maxAttempts(), mail.retryInitial(), mail.retryMax()), registry,
                "jhe.admin.mail.failed");
    }

    void start(@Observes StartupEvent event, MailRelay relay) {
        relay.start();
    }

    void stop(@Observes ShutdownEvent event, MailRelay relay) {
        relay.stop();
    }
}
