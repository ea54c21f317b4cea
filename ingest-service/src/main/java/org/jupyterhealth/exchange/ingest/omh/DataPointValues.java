package org.jupyterhealth.exchange.ingest.omh;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jupyterhealth.exchange.common.upload.EntryOutcome;

import tools.jackson.databind.JsonNode;

/**
 * What the Open mHealth schemas leave open about a data point's values, checked after them:
 * <ul>
 * <li>every text (value or field name) can be stored in PostgreSQL's JSONB, which refuses NUL ({@code \u0000}) and
 * halves of surrogate pairs;</li>
 * <li>every number is finite, at most {@link #LARGEST} in magnitude and has at most {@link #MAX_DECIMALS} decimal
 * places (no measure of these schemas comes near; {@code 1e308} beats per minute or {@code 1e-20000} is a fault,
 * and the latter is beyond what PostgreSQL stores);</li>
 * <li>a measured quantity (an object with a numeric {@code value} and a {@code unit}) is not negative, except a
 * temperature in degrees Celsius or Fahrenheit and a sound level in decibels. Where a schema sets its own range
 * ({@code minimum}, {@code maximum}), the schema has already been applied.</li>
 * </ul>
 */
final class DataPointValues {
    static final BigDecimal LARGEST = new BigDecimal("1e15");
    static final int MAX_DECIMALS = 1000;
    /** Units whose quantities may be below zero: temperatures in C or F, sound levels in dB. */
    static final Set<String> SIGNED_UNITS = Set.of("C", "F", "dB", "dBA");

    private DataPointValues() {
    }

    /** The first problem of the data point's values, naming its JSON path, or empty. */
    static Optional<String> firstProblem(JsonNode dataPoint) {
        return Optional.ofNullable(problem(dataPoint, "$"));
    }

    private static String problem(JsonNode node, String path) {
        if (node.isString()) {
            return textProblem(node.asString(), path);
        }
        if (node.isNumber()) {
            return numberProblem(node, path);
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = problem(node.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
            return null;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String fieldPath = path + "." + EntryOutcome.quote(field.getKey());
                String found = textProblem(field.getKey(), fieldPath);
                if (found == null) {
                    found = problem(field.getValue(), fieldPath);
                }
                if (found != null) {
                    return found;
                }
            }
            return negativeQuantity(node, path);
        }
        return null;
    }

    private static String textProblem(String text, String path) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return path + ": contains a NUL character (U+0000), which cannot be stored.";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return path + ": contains half of a surrogate pair, which is not Unicode text.";
            }
        }
        return null;
    }

    private static String numberProblem(JsonNode number, String path) {
        if ((number.isDouble() || number.isFloat()) && !Double.isFinite(number.doubleValue())) {
            return path + ": must be a finite number.";
        }
        BigDecimal value = number.decimalValue();
        if (value.abs().compareTo(LARGEST) > 0) {
            return path + ": is not a plausible value (its magnitude is above 10^15).";
        }
        if (value.scale() > MAX_DECIMALS) {
            return path + ": has more than " + MAX_DECIMALS + " decimal places.";
        }
        return null;
    }

    private static String negativeQuantity(JsonNode object, String path) {
        JsonNode value = object.get("value");
        JsonNode unit = object.get("unit");
        if (value == null || !value.isNumber() || unit == null || !unit.isString()
                || SIGNED_UNITS.contains(unit.asString()) || value.decimalValue().signum() >= 0) {
            return null;
        }
        return path + ".value: must not be negative (a quantity in " + EntryOutcome.quote(unit.asString())
                + " cannot be below zero).";
    }
}
