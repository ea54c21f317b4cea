package org.jupyterhealth.exchange.ingest.omh;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import tools.jackson.databind.JsonNode;

/**
 * The clinical time of an Open mHealth body ({@code effective_time_frame}), raised onto the observation's
 * queryable columns: a {@code date_time} is an instant; a {@code time_interval} (start and end, or either with a
 * duration) is a period. A date-time without an offset is in UTC, as the Open mHealth date-time schema says.
 * Anything malformed yields no time at all, as in the original exchange.
 */
public record EffectiveTime(OffsetDateTime dateTime, OffsetDateTime periodStart, OffsetDateTime periodEnd) {
    public static final EffectiveTime NONE = new EffectiveTime(null, null, null);

    public static EffectiveTime of(JsonNode body) {
        try {
            JsonNode frame = body == null ? null : body.get("effective_time_frame");
            if (frame == null || !frame.isObject()) {
                return NONE;
            }
            if (frame.hasNonNull("date_time")) {
                return new EffectiveTime(parse(frame.get("date_time")), null, null);
            }
            JsonNode interval = frame.get("time_interval");
            if (interval == null || !interval.isObject()) {
                return NONE;
            }
            OffsetDateTime start = interval.hasNonNull("start_date_time") ? parse(interval.get("start_date_time")) : null;
            OffsetDateTime end = interval.hasNonNull("end_date_time") ? parse(interval.get("end_date_time")) : null;
            JsonNode duration = interval.get("duration");
            if (start != null && end == null && duration != null) {
                end = plus(start, duration, 1);
            } else if (start == null && end != null && duration != null) {
                start = plus(end, duration, -1);
            }
            if (start == null || end == null) {
                return NONE;
            }
            return new EffectiveTime(null, start, end);
        } catch (DateTimeParseException | ArithmeticException | IllegalArgumentException e) {
            return NONE;
        }
    }

    private static OffsetDateTime parse(JsonNode value) {
        if (!value.isString()) {
            throw new IllegalArgumentException("not a date-time");
        }
        return parse(value.asString());
    }

    /**
     * {@link OffsetDateTime#parse}, or a local date-time in UTC: the usual shape ({@code 2025-01-01T00:04:00-08:00},
     * {@code ...:00.123Z}) is read directly, since every uploaded data point has one and the general parser is
     * costly; anything else, including every invalid value, goes to the general parsers, so the results and errors
     * are the same.
     */
    static OffsetDateTime parse(String text) {
        OffsetDateTime usual = usual(text);
        if (usual != null) {
            return usual;
        }
        if (OpenMHealthDateTime.withoutOffset(text)) {
            return LocalDateTime.parse(text).atOffset(ZoneOffset.UTC);
        }
        return OffsetDateTime.parse(text);
    }

    /** {@code uuuu-MM-ddTHH:mm:ss[.fraction](Z|+HH:MM|-HH:MM)}, or null for anything else or invalid. */
    private static OffsetDateTime usual(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        int i = 19;
        int nano = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            int length = i - start;
            if (length < 1 || length > 9) {
                return null;
            }
            nano = digits(s, start, length);
            for (int pad = length; pad < 9; pad++) {
                nano *= 10;
            }
        }
        ZoneOffset offset;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offset = ZoneOffset.UTC;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int hours = digits(s, i + 1, 2);
            int minutes = digits(s, i + 4, 2);
            if (hours < 0 || minutes < 0) {
                return null;
            }
            int sign = s.charAt(i) == '-' ? -1 : 1;
            try {
                offset = ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
            } catch (DateTimeException e) {
                return null;
            }
        } else {
            return null;
        }
        try {
            return OffsetDateTime.of(year, month, day, hour, minute, second, nano, offset);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The decimal number of {@code length} ASCII digits at {@code from}, or -1. */
    private static int digits(String s, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * Adds (sign 1) or subtracts (sign -1) an OMH duration-unit-value; months and years follow the calendar. A sum
     * beyond what a date-time can hold is {@link OffsetDateTime#MAX} (or {@code MIN}), which {@link #outOfRange}
     * reports.
     */
    private static OffsetDateTime plus(OffsetDateTime time, JsonNode duration, int sign) {
        if (!duration.hasNonNull("value") || !duration.get("value").isNumber() || !duration.hasNonNull("unit")) {
            throw new IllegalArgumentException("not a duration");
        }
        BigDecimal value = duration.get("value").decimalValue().multiply(BigDecimal.valueOf(sign));
        String unit = duration.get("unit").asString();
        try {
            return switch (unit) {
                case "Mo" -> time.plusMonths(value.longValueExact());
                case "yr" -> time.plusYears(value.longValueExact());
                case "wk" -> time.plus(nanos(value, 7L * 24 * 3600 * 1_000_000_000L));
                case "d" -> time.plus(nanos(value, 24L * 3600 * 1_000_000_000L));
                case "h" -> time.plus(nanos(value, 3600L * 1_000_000_000L));
                case "min" -> time.plus(nanos(value, 60L * 1_000_000_000L));
                case "sec", "s" -> time.plus(nanos(value, 1_000_000_000L));
                case "ms" -> time.plus(nanos(value, 1_000_000L));
                case "us" -> time.plus(nanos(value, 1_000L));
                case "ns" -> time.plus(nanos(value, 1L));
                case "ps" -> time;
                default -> throw new IllegalArgumentException("unknown duration unit");
            };
        } catch (DateTimeException | ArithmeticException e) {
            return value.signum() < 0 ? OffsetDateTime.MIN : OffsetDateTime.MAX;
        }
    }

    private static Duration nanos(BigDecimal value, long nanosPerUnit) {
        return Duration.ofNanos(value.multiply(BigDecimal.valueOf(nanosPerUnit)).setScale(0, RoundingMode.DOWN)
                .longValueExact());
    }

    /**
     * Whether an instant lies outside the years 1 to 9999: RFC 3339 date-times cannot name such a year, and only a
     * duration can reach one (PostgreSQL would refuse some of them).
     */
    public boolean outOfRange() {
        return outOfRange(dateTime) || outOfRange(periodStart) || outOfRange(periodEnd);
    }

    private static boolean outOfRange(OffsetDateTime time) {
        return time != null && (time.getYear() < 1 || time.getYear() > 9999);
    }
}
