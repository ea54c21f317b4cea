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

    /** Input the console refuses before asking any service. */
    static final class BadInput extends RuntimeException {
        BadInput(String message) {
            super(message, null, false, false);
        }
    }
}
