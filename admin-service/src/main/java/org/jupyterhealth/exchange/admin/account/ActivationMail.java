package org.jupyterhealth.exchange.admin.account;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.config.AdminConfig;
import org.jupyterhealth.exchange.common.mail.MailOutbox;
import org.jupyterhealth.exchange.common.mail.MailTemplates;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * How a staff member gets the activation link of a new account (docs/architecture.md#e-mail): by e-mail, queued in
 * the mail outbox in the transaction that records the practitioner or user, or, where this exchange sends no mail
 * ({@code jhe.admin.mail.enabled=false}), in the superuser's answer, to be handed on. Patients are not activated:
 * they join through invitations.
 */
@ApplicationScoped
public class ActivationMail {
    /** The expiry as the e-mail states it: in UTC, which the reader's time zone cannot make ambiguous. */
    private static final DateTimeFormatter EXPIRY = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'",
            Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final boolean enabled;
    private final MailOutbox outbox;
    private final MailTemplates templates;

    public ActivationMail(AdminConfig config, MailOutbox outbox, MailTemplates templates) {
        this.enabled = config.mail().enabled();
        this.outbox = outbox;
        this.templates = templates;
    }

    /** Whether the link goes by e-mail; if not, the answer to the superuser carries it. */
    public boolean byMail() {
        return enabled;
    }

    /**
     * Queues the activation e-mail in the caller's transaction, when e-mail is on (nothing otherwise).
     *
     * @param firstName    how the e-mail greets the person; blank for none
     * @param organization who invites the person: the organization's name, or null for the exchange's administrators
     */
    public Uni<Void> queue(SqlClient tx, String email, String firstName, String organization, Activation activation) {
        if (!enabled) {
            return Uni.createFrom().voidItem();
        }
        Map<String, Object> data = Map.of("name", firstName == null ? "" : firstName.strip(),
                "organization", organization == null ? "" : organization,
                "link", activation.link(),
                "expires", EXPIRY.format(activation.expiresAt()));
        return outbox.insert(tx, templates.render("activation", email, data));
    }
}
