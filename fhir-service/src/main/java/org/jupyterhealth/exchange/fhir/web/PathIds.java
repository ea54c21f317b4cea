package org.jupyterhealth.exchange.fhir.web;

import java.util.regex.Pattern;

/**
 * Ids as a read names them in its path: a resource's id is written as a plain decimal number, and only that text
 * names it. {@code +40001} or {@code 040001} would parse to the same number, but they are no id of anything.
 */
public final class PathIds {
    private static final Pattern ID = Pattern.compile("0|[1-9][0-9]{0,17}");

    private PathIds() {
    }

    /** The id the text names, or null when it is not exactly an id. */
    public static Long parse(String text) {
        return text != null && ID.matcher(text).matches() ? Long.parseLong(text) : null;
    }
}
