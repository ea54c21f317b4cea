package org.jupyterhealth.exchange.console.observation;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * The observations of one code over a range as columns a plot draws directly: one time column (epoch seconds,
 * ascending) and one value column per quantity of the data point ({@code systolic_blood_pressure},
 * {@code heart_rate}...), {@code NaN} where a data point has no such quantity. The browser receives these arrays,
 * never FHIR bundles: a month of 100,000 heart rates is about 2 MB of numbers instead of 60 MB of resources.
 */
public final class ObservationSeries {
    private static final JsonFactory JSON = new JsonFactory();

    private double[] times = new double[1024];
    private int size;
    private final Map<String, Column> columns = new LinkedHashMap<>();
    private boolean truncated;

    /** One quantity's values, aligned with the time column. */
    static final class Column {
        final String name;
        String unit;
        double[] values;

        Column(String name, int capacity, int filled) {
            this.name = name;
            this.values = new double[capacity];
            Arrays.fill(values, 0, filled, Double.NaN);
        }
    }

    /** Starts a data point at {@code seconds}; its quantities follow through {@link #value}. */
    void addPoint(double seconds) {
        if (size == times.length) {
            int capacity = times.length * 2;
            times = Arrays.copyOf(times, capacity);
            for (Column column : columns.values()) {
                column.values = Arrays.copyOf(column.values, capacity);
            }
        }
        times[size] = seconds;
        for (Column column : columns.values()) {
            column.values[size] = Double.NaN;
        }
        size++;
    }

    /** A quantity of the data point last started. */
    void value(String name, double value, String unit) {
        Column column = columns.get(name);
        if (column == null) {
            column = new Column(name, times.length, size);
            columns.put(name, column);
        }
        column.values[size - 1] = value;
        if (column.unit == null && unit != null) {
            column.unit = unit;
        }
    }

    void markTruncated() {
        truncated = true;
    }

    public int size() {
        return size;
    }

    public boolean truncated() {
        return truncated;
    }

    /** The quantities' names, in the order first seen. */
    public List<String> names() {
        return new ArrayList<>(columns.keySet());
    }

    /**
     * {@code {"code", "count", "truncated", "t": [...], "series": [{"name", "label", "unit", "v": [...]}]}}: missing
     * values are null, as the plot library expects for gaps.
     */
    public void writeJson(String code, OutputStream out) throws IOException {
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("code", code);
            json.writeNumberField("count", size);
            json.writeBooleanField("truncated", truncated);
            json.writeArrayFieldStart("t");
            for (int i = 0; i < size; i++) {
                writeNumber(json, times[i]);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("series");
            for (Column column : columns.values()) {
                json.writeStartObject();
                json.writeStringField("name", column.name);
                json.writeStringField("label", label(column.name));
                json.writeStringField("unit", column.unit);
                json.writeArrayFieldStart("v");
                for (int i = 0; i < size; i++) {
                    double v = column.values[i];
                    if (Double.isNaN(v)) {
                        json.writeNull();
                    } else {
                        writeNumber(json, v);
                    }
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    /**
     * One row per data point: its time (ISO 8601, UTC) and each quantity, headed by the quantities' names and units.
     * Every cell is a number, a time or a name the reader checked ({@code [a-z0-9_]}), so no cell can be read as a
     * spreadsheet formula.
     */
    public void writeCsv(Writer out) throws IOException {
        List<String[]> header = new ArrayList<>();
        columns.values().forEach(c -> header.add(new String[] { c.name, c.unit }));
        out.write(csvHeader(header));
        writeCsvRows(out, names());
    }

    /** The CSV's header line for these columns (name and unit, the unit null when there is none). */
    public static String csvHeader(List<String[]> columns) {
        StringBuilder line = new StringBuilder("time");
        for (String[] column : columns) {
            line.append(',').append(column[0]);
            if (column[1] != null) {
                line.append(" (").append(column[1]).append(')');
            }
        }
        return line.append("\r\n").toString();
    }

    /**
     * The data points as CSV rows with the quantities {@code names} in that order, empty where a point has none; a
     * quantity not named is left out (a streamed file's columns are fixed by its header before its rows are read).
     */
    public void writeCsvRows(Writer out, List<String> names) throws IOException {
        Column[] shown = new Column[names.size()];
        for (int c = 0; c < shown.length; c++) {
            shown[c] = columns.get(names.get(c));
        }
        for (int i = 0; i < size; i++) {
            long millis = Math.round(times[i] * 1000);
            out.write(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(millis)));
            for (Column column : shown) {
                out.write(',');
                double v = column == null ? Double.NaN : column.values[i];
                if (!Double.isNaN(v)) {
                    out.write(number(v));
                }
            }
            out.write("\r\n");
        }
    }

    /** {@code systolic_blood_pressure} → "Systolic blood pressure". */
    static String label(String name) {
        String words = name.replace('_', ' ');
        return words.isEmpty() ? words : words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1);
    }

    private static void writeNumber(JsonGenerator json, double value) throws IOException {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            json.writeNumber((long) value);
        } else {
            json.writeNumber(value);
        }
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }
}
