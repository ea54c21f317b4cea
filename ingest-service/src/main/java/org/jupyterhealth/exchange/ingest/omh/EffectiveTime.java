package org.jupyterhealth.exchange.ingest.omh;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import tools.jackson.databind.JsonNode;

/**
 * The clinical time of an Open mHealth body ({@code effective_time_frame}), raised onto the observation's
 * queryable columns: a {@code date_time} is an instant; a {@code time_interval} (start and end, or either with a
 * duration) is a period. Anything malformed yields no time at all, as in the original exchange.
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
        return OffsetDateTime.parse(value.asString());
    }

    /** Adds (sign 1) or subtracts (sign -1) an OMH duration-unit-value; months and years follow the calendar. */
    private static OffsetDateTime plus(OffsetDateTime time, JsonNode duration, int sign) {
        if (!duration.hasNonNull("value") || !duration.get("value").isNumber() || !duration.hasNonNull("unit")) {
            throw new IllegalArgumentException("not a duration");
        }
        BigDecimal value = duration.get("value").decimalValue().multiply(BigDecimal.valueOf(sign));
        String unit = duration.get("unit").asString();
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
    }

    private static Duration nanos(BigDecimal value, long nanosPerUnit) {
        return Duration.ofNanos(value.multiply(BigDecimal.valueOf(nanosPerUnit)).longValue());
    }
}
