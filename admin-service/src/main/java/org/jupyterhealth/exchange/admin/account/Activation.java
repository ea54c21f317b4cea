package org.jupyterhealth.exchange.admin.account;

import java.time.Instant;

/**
 * A one-time activation link of a new staff account, issued by identity-service: its owner opens it to choose a
 * password. The link is a credential: it goes to that person (by e-mail, or in the superuser's answer when mail is
 * off), never to a log line or an error.
 */
public record Activation(String link, Instant expiresAt) {
}
