package org.jupyterhealth.exchange.identity.web;

import java.util.List;
import java.util.Map;

/** The request is not acceptable: 400 {@code {"detail", "errors": {field: [message]}}}. */
public class ValidationException extends RuntimeException {
    private final Map<String, List<String>> errors;

    public ValidationException(String field, String message) {
        super(message, null, false, false);
        this.errors = Map.of(field, List.of(message));
    }

    public Map<String, List<String>> errors() {
        return errors;
    }
}
