package org.jupyterhealth.exchange.identity.account;

/** An account and whether the registration that answered it created it (the one call that may undo it). */
public record Registration(JheUser account, boolean created) {
}
