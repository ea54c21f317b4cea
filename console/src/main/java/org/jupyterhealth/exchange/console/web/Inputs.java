package org.jupyterhealth.exchange.console.web;

import java.util.regex.Pattern;

/** Checks of what the address bar and forms send the console: bad input is a 400 page, never a 500. */
final class Inputs {
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

    private Inputs() {
    }

    /** A page number from 1 to {@code max}; none means 1. */
    static int page(String value, int max) {
        if (value == null || value.isEmpty()) {
            return 1;
        }
        if (!DIGITS.matcher(value).matches() || value.length() > 9) {
            throw new BadInput("The page number must be a whole number from 1 to " + max + ".");
        }
        int page = Integer.parseInt(value);
        if (page < 1 || page > max) {
            throw new BadInput("The page number must be a whole number from 1 to " + max + ".");
        }
        return page;
    }

    /** A positive id. */
    static long id(String value, String name) {
        if (value == null || !DIGITS.matcher(value).matches() || Long.parseLong(value) < 1) {
            throw new BadInput("The " + name + " must be a positive whole number.");
        }
        return Long.parseLong(value);
    }

    /** Whether the value is a positive id (a form's choice that may be left empty). */
    static boolean isId(String value) {
        return value != null && DIGITS.matcher(value).matches() && Long.parseLong(value) >= 1;
    }

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:._-]{0,99}");
    private static final Pattern SYSTEM = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:[^\\s\\p{Cntrl}]{1,200}");

    /** A coding's code ({@code omh:blood-pressure:4.0}). */
    static String codingCode(String value) {
        if (value == null || !CODE.matcher(value).matches()) {
            throw new BadInput("The type of data is not right.");
        }
        return value;
    }

    /** A coding's system: an absolute URI without spaces or control characters, at most about 200 characters. */
    static String codingSystem(String value) {
        if (value == null || !SYSTEM.matcher(value).matches()) {
            throw new BadInput("The coding system is not right.");
        }
        return value;
    }

    /** {@code true} or {@code false}, exactly. */
    static boolean bool(String value, String name) {
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.parseBoolean(value);
        }
        throw new BadInput("The " + name + " must be true or false.");
    }

    /** Input the console refuses before asking any service. */
    static final class BadInput extends RuntimeException {
        BadInput(String message) {
            super(message, null, false, false);
        }
    }
}
