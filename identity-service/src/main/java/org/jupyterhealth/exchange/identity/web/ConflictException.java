package org.jupyterhealth.exchange.identity.web;

/** The request clashes with what exists (409 {@code {"detail"}}). */
public class ConflictException extends RuntimeException {
    public ConflictException(String detail) {
        super(detail, null, false, false);
    }
}
