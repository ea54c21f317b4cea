package org.jupyterhealth.exchange.admin.web;

import java.util.List;
import java.util.Map;

/**
 * A refusal the admin API explains to its caller: the status, the {@code detail} and, for field errors, the
 * {@code errors} map. Subclasses name the kind of refusal; the one mapper renders them all.
 */
public abstract class AdminException extends RuntimeException {
    private final transient Map<String, List<String>> errors;

    protected AdminException(String detail, Map<String, List<String>> errors) {
        super(detail, null, false, false);
        this.errors = errors;
    }

    public abstract int status();

    public String detail() {
        return getMessage();
    }

    public Map<String, List<String>> errors() {
        return errors;
    }

    /** 400: the request is malformed or breaks a rule of the data. */
    public static final class ValidationException extends AdminException {
        public ValidationException(String detail) {
            super(detail, null);
        }

        public ValidationException(String field, String message) {
            super(message, Map.of(field, List.of(message)));
        }

        public ValidationException(String detail, Map<String, List<String>> errors) {
            super(detail, errors);
        }

        @Override
        public int status() {
            return 400;
        }
    }

    /** 403: the caller is known but may not do this. */
    public static final class PermissionDeniedException extends AdminException {
        public PermissionDeniedException(String detail) {
            super(detail, null);
        }

        @Override
        public int status() {
            return 403;
        }
    }

    /** 404: no such thing (or the caller may not know that it exists). */
    public static final class NotFoundException extends AdminException {
        public NotFoundException(String detail) {
            super(detail, null);
        }

        @Override
        public int status() {
            return 404;
        }
    }

    /** 409: the request conflicts with what is stored (a duplicate, a used invitation). */
    public static final class ConflictException extends AdminException {
        public ConflictException(String detail) {
            super(detail, null);
        }

        @Override
        public int status() {
            return 409;
        }
    }

    /** 410: it existed but is no longer usable (an expired invitation). */
    public static final class GoneException extends AdminException {
        public GoneException(String detail) {
            super(detail, null);
        }

        @Override
        public int status() {
            return 410;
        }
    }

    /** 503: a service admin-service depends on (identity-service) is unreachable or failing. */
    public static final class UnavailableException extends AdminException {
        public UnavailableException(String detail) {
            super(detail, null);
        }

        @Override
        public int status() {
            return 503;
        }
    }
}
