package org.jupyterhealth.exchange.identity.passkey;

/** Who requires an account to sign in with a passkey: the person, an organization of theirs, both or none. */
public record PasskeyRequirement(boolean own, boolean organization) {
    public static final PasskeyRequirement NONE = new PasskeyRequirement(false, false);
}
