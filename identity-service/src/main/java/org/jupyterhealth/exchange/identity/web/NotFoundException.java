package org.jupyterhealth.exchange.identity.web;

/** The thing asked for does not exist (404 {@code {"detail"}}). */
public class NotFoundException extends RuntimeException {
    public NotFoundException() {
        super("Not found.", null, false, false);
    }
}
