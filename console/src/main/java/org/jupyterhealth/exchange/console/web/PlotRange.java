package org.jupyterhealth.exchange.console.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The days a plot covers, from {@code from} to {@code to} inclusive (UTC days), and the code it plots, as the
 * address bar gives them. By default the last 30 days up to tomorrow (a device's clock a little ahead still shows).
 * Problems are kept per field, so that the form can show each next to its input.
 */
public record PlotRange(String code, LocalDate from, LocalDate to, Map<String, String> errors) {
    static final int MAX_DAYS = 366;
    static final int DEFAULT_DAYS = 30;
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:._-]{0,99}");
    private static final Pattern DAY = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final LocalDate FIRST = LocalDate.of(1900, 1, 1);
    private static final LocalDate LAST = LocalDate.of(2199, 12, 31);

    static PlotRange parse(String code, String from, String to) {
        Map<String, String> errors = new LinkedHashMap<>();
        LocalDate tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1);
        LocalDate last = day(to, "to", tomorrow, errors);
        LocalDate first = day(from, "from", (last == null ? tomorrow : last).minusDays(DEFAULT_DAYS - 1), errors);
        if (first != null && last != null) {
            if (first.isAfter(last)) {
                errors.put("to", "The end must not be before the start.");
            } else if (ChronoUnit.DAYS.between(first, last) + 1 > MAX_DAYS) {
                errors.put("to", "A plot covers at most " + MAX_DAYS + " days.");
            }
        }
        String checked = code == null || code.isEmpty() ? null : code;
        if (checked != null && !CODE.matcher(checked).matches()) {
            errors.put("code", "Choose a type of data from the list.");
            checked = null;
        }
        return new PlotRange(checked, first, last, errors);
    }

    /** As {@link #parse}, but any problem is bad input (the plot's data and CSV addresses). */
    static PlotRange require(String code, String from, String to) {
        PlotRange range = parse(code, from, to);
        if (range.code == null && !range.errors.containsKey("code")) {
            range.errors.put("code", "A type of data is needed.");
        }
        if (!range.errors.isEmpty()) {
            throw new Inputs.BadInput(String.join(" ", range.errors.values()));
        }
        return range;
    }

    private static LocalDate day(String value, String field, LocalDate fallback, Map<String, String> errors) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            if (DAY.matcher(value).matches()) {
                LocalDate day = LocalDate.parse(value);
                if (!day.isBefore(FIRST) && !day.isAfter(LAST)) {
                    return day;
                }
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        errors.put(field, "Enter a date as YYYY-MM-DD between 1900 and 2199.");
        return null;
    }

    Instant start() {
        return from.atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** The instant after the last day. */
    Instant end() {
        return to.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    public String error(String field) {
        return errors.get(field);
    }

    public boolean valid() {
        return errors.isEmpty();
    }

    public String fromValue() {
        return from == null ? "" : from.toString();
    }

    public String toValue() {
        return to == null ? "" : to.toString();
    }
}
