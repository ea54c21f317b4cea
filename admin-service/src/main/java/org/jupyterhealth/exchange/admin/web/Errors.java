package org.jupyterhealth.exchange.admin.web;

import org.jupyterhealth.exchange.admin.web.AdminException.ConflictException;
import org.jupyterhealth.exchange.admin.web.AdminException.NotFoundException;
import org.jupyterhealth.exchange.admin.web.AdminException.PermissionDeniedException;
import org.jupyterhealth.exchange.admin.web.AdminException.ValidationException;
import org.jupyterhealth.exchange.common.web.DetailErrors;

/** Short factories for the domain exceptions, so that rules read as sentences. */
public final class Errors {
    /** The guide's exact 403 wording ({@link DetailErrors#FORBIDDEN}). */
    public static final String FORBIDDEN = DetailErrors.FORBIDDEN;

    private Errors() {
    }

    public static NotFoundException notFound(String what) {
        return new NotFoundException("No " + what + " matches the given query.");
    }

    public static PermissionDeniedException forbidden() {
        return new PermissionDeniedException(FORBIDDEN);
    }

    public static PermissionDeniedException forbidden(String detail) {
        return new PermissionDeniedException(detail);
    }

    public static ValidationException invalid(String detail) {
        return new ValidationException(detail);
    }

    public static ValidationException invalid(String field, String message) {
        return new ValidationException(field, message);
    }

    /**
     * A 400 naming a field whose value would have to change something this API does not change (an account's
     * e-mail, an OAuth client's id): refused rather than dropped, so that the caller never reads a 200 as a change.
     */
    public static ValidationException unchangeable(String field, String what) {
        return TextRules.invalid(field, "The " + what + " cannot be changed.");
    }

    public static ConflictException conflict(String detail) {
        return new ConflictException(detail);
    }
}
