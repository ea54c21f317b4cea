package org.jupyterhealth.exchange.identity.web;

import java.time.Duration;

/** Too many failed password checks for the account or the address: 429 {@code {"detail"}} with {@code Retry-After}. */
public class TooManyAttemptsException extends RuntimeException {
    public static final String DETAIL = "Too many failed attempts. Try again later.";

    private final Duration retryAfter;

    public TooManyAttemptsException(Duration retryAfter) {
        super(DETAIL, null, false, false);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
