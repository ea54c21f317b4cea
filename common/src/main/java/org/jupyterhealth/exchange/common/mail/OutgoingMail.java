package org.jupyterhealth.exchange.common.mail;

/**
 * One e-mail as it waits in the outbox: to one recipient, with a text body and the same in HTML. The bodies may carry
 * credentials (an invitation, activation or reset link): never logged, never sent anywhere but to the mail server.
 *
 * @param id        the outbox row, or null before it is queued
 * @param attempts  how often sending it failed so far
 */
public record OutgoingMail(Long id, String recipient, String subject, String text, String html, int attempts) {

    public static OutgoingMail of(String recipient, String subject, String text, String html) {
        return new OutgoingMail(null, recipient, subject, text, html, 0);
    }
}
