package org.jupyterhealth.exchange.fhir.search;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;

/**
 * One value of a FHIR {@code date} search parameter ({@code date=ge2021-01-01}, {@code _lastUpdated=lt2025-03-01T10:00:00Z}):
 * a comparator and the range of instants the value stands for at its precision (a day, a month, a second...), as
 * FHIR defines date matching. Dates without a time are days in UTC.
 */
public record DateRange(Comparator comparator, OffsetDateTime start, OffsetDateTime end) {

    /** The comparators served: those of the contract, plus {@code ne}. */
    public enum Comparator {
        EQ, NE, GT, GE, LT, LE
    }

    private static final Pattern PREFIX = Pattern.compile("^(eq|ne|gt|ge|lt|le)?(.+)$");
    private static final Pattern YEAR = Pattern.compile("\\d{4}");
    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");
    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})T(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?(Z|[+-]\\d{2}:\\d{2})");

    /** Parses one value; a malformed one is a 400 naming the parameter. */
    public static DateRange parse(String parameter, String raw) {
        Matcher prefix = PREFIX.matcher(raw.trim());
        if (!prefix.matches()) {
            throw invalid(parameter, raw);
        }
        Comparator comparator = prefix.group(1) == null ? Comparator.EQ
                : Comparator.valueOf(prefix.group(1).toUpperCase(Locale.ROOT));
        String value = prefix.group(2);
        try {
            if (YEAR.matcher(value).matches()) {
                OffsetDateTime start = LocalDate.of(Integer.parseInt(value), 1, 1).atStartOfDay().atOffset(ZoneOffset.UTC);
                return new DateRange(comparator, start, start.plusYears(1));
            }
            if (MONTH.matcher(value).matches()) {
                OffsetDateTime start = YearMonth.parse(value).atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC);
                return new DateRange(comparator, start, start.plusMonths(1));
            }
            if (DAY.matcher(value).matches()) {
                OffsetDateTime start = LocalDate.parse(value).atStartOfDay().atOffset(ZoneOffset.UTC);
                return new DateRange(comparator, start, start.plusDays(1));
            }
            Matcher dateTime = DATE_TIME.matcher(value);
            if (dateTime.matches()) {
                OffsetDateTime start = OffsetDateTime.parse(value);
                ChronoUnit unit;
                long amount = 1;
                if (dateTime.group(4) == null) {
                    unit = ChronoUnit.MINUTES;
                } else if (dateTime.group(5) == null) {
                    unit = ChronoUnit.SECONDS;
                } else {
                    unit = ChronoUnit.NANOS;
                    amount = (long) Math.pow(10, 9 - dateTime.group(5).length());
                }
                return new DateRange(comparator, start, start.plus(amount, unit));
            }
        } catch (DateTimeException | NumberFormatException e) {
            throw invalid(parameter, raw);
        }
        throw invalid(parameter, raw);
    }

    private static InvalidRequestException invalid(String parameter, String raw) {
        return new InvalidRequestException("Invalid value for " + parameter + ": '" + abbreviate(raw)
                + "'. Expected an optional prefix (eq, ne, gt, ge, lt, le) and a date such as 2025-03-01 or a "
                + "date-time with a time zone such as 2025-03-01T10:00:00Z.");
    }

    static String abbreviate(String raw) {
        return raw.length() > 64 ? raw.substring(0, 64) + "…" : raw;
    }

    /** Whether an instant matches (null never does). */
    public boolean matches(OffsetDateTime value) {
        if (value == null) {
            return false;
        }
        boolean atOrAfterStart = !value.isBefore(start);
        boolean beforeEnd = value.isBefore(end);
        return switch (comparator) {
            case EQ -> atOrAfterStart && beforeEnd;
            case NE -> !(atOrAfterStart && beforeEnd);
            case GT -> !beforeEnd;
            case GE -> atOrAfterStart;
            case LT -> !atOrAfterStart;
            case LE -> beforeEnd;
        };
    }

    /** Whether a calendar date (e.g. a birth date) matches: the day as a range compared with this range. */
    public boolean matches(LocalDate date) {
        if (date == null) {
            return false;
        }
        OffsetDateTime dayStart = date.atStartOfDay().atOffset(ZoneOffset.UTC);
        OffsetDateTime dayEnd = dayStart.plusDays(1);
        return switch (comparator) {
            case EQ -> !dayStart.isBefore(start) && !dayEnd.isAfter(end);
            case NE -> dayStart.isBefore(start) || dayEnd.isAfter(end);
            case GT -> !dayStart.isBefore(end);
            case GE -> !dayStart.isBefore(start);
            case LT -> dayEnd.isBefore(start) || dayEnd.isEqual(start);
            case LE -> !dayEnd.isAfter(end);
        };
    }

    /** The condition as SQL on {@code column}, binding the instants with {@code sql}. */
    public String toSql(String column, SqlBuilder sql) {
        return toSql(column, sql, instant -> instant);
    }

    /**
     * The condition as SQL on {@code column}, binding each instant as {@code value} gives it (e.g. a text whose order
     * is the instants').
     */
    public String toSql(String column, SqlBuilder sql, Function<OffsetDateTime, Object> value) {
        return switch (comparator) {
            case EQ -> "(" + column + " >= " + sql.bind(value.apply(start)) + " AND " + column + " < "
                    + sql.bind(value.apply(end)) + ")";
            case NE -> "(" + column + " < " + sql.bind(value.apply(start)) + " OR " + column + " >= "
                    + sql.bind(value.apply(end)) + ")";
            case GT -> column + " >= " + sql.bind(value.apply(end));
            case GE -> column + " >= " + sql.bind(value.apply(start));
            case LT -> column + " < " + sql.bind(value.apply(start));
            case LE -> column + " < " + sql.bind(value.apply(end));
        };
    }
}
