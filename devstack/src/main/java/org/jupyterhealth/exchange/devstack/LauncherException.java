package org.jupyterhealth.exchange.devstack;

/** A reason {@code ./jhe} cannot go on, told to the user as {@code [jhe] error: ...} with exit code 1. */
final class LauncherException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LauncherException(String message) {
        super(message);
    }
}
