package org.jupyterhealth.exchange.admin.web;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jupyterhealth.exchange.admin.web.AdminException.ValidationException;

/**
 * What a string of the admin API may contain, in one place, so that every field, parameter and path segment is
 * judged alike and a refusal names the field: no C0 control character (PostgreSQL cannot store NUL, and the others
 * only ever arrive by mistake or in an attack), no lone UTF-16 surrogate (it cannot be encoded as UTF-8), line
 * breaks and tabs only in multi-line fields, and a bounded length (the limits are those of the columns and of
 * identity-service's accounts, so that nothing is refused after a first write).
 */
public final class TextRules {
    /** Names, identifiers, keys, labels: the {@code VARCHAR(255)} columns. */
    public static final int MAX_SHORT = 255;
    /** People's names, which identity-service keeps in {@code VARCHAR(150)} columns. */
    public static final int MAX_PERSON_NAME = 150;
    /** E-mail addresses (RFC 5321's limit on a path). */
    public static final int MAX_EMAIL = 254;
    /** OAuth client ids, as identity-service accepts them. */
    public static final int MAX_CLIENT_ID = 100;
    /** URLs (identity-service refuses longer invitation URLs). */
    public static final int MAX_URL = 2000;
    /** Free text (descriptions, setting values): the longest string any field accepts. */
    public static final int MAX_TEXT = 10_000;

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private TextRules() {
    }

    /**
     * Why this string may not be stored, or null when it may. Tab, line feed and carriage return are allowed only
     * when {@code multiline}.
     */
    public static String problem(String value, boolean multiline) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20) {
                if (!multiline || (c != '\t' && c != '\n' && c != '\r')) {
                    return c == '\t' || c == '\n' || c == '\r' ? "Line breaks and tabs are not allowed."
                            : "Control characters are not allowed.";
                }
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 == value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return "Invalid Unicode text (an unpaired surrogate).";
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return "Invalid Unicode text (an unpaired surrogate).";
            }
        }
        return null;
    }

    /** The field's value, refused with 400 naming the field when it has characters it may not have or is too long. */
    public static String check(String field, String value, boolean multiline, int maxLength) {
        if (value == null) {
            return null;
        }
        String problem = problem(value, multiline);
        if (problem != null) {
            throw invalid(field, problem);
        }
        if (value.length() > maxLength) {
            throw invalid(field, "Ensure this field has no more than " + maxLength + " characters.");
        }
        return value;
    }

    /** A syntactically plausible e-mail address (the original's rule: something@host.domain, no spaces). */
    public static boolean isEmail(String value) {
        return value != null && value.length() <= MAX_EMAIL && EMAIL.matcher(value).matches();
    }

    /**
     * A 400 whose {@code detail} and {@code errors} both name the field, so that a client reading either knows
     * which one to fix.
     */
    public static ValidationException invalid(String field, String message) {
        return new ValidationException(field + ": " + message, Map.of(field, List.of(message)));
    }
}
