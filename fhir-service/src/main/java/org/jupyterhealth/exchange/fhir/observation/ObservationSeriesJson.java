package org.jupyterhealth.exchange.fhir.observation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * A reduced series as columns a plot draws directly: {@code {"count", "buckets", "t": [...], "n": [...], "series":
 * [{"name", "unit", "mean": [...], "min": [...], "max": [...]}]}}, one column entry per bucket holding
 * observations, oldest first; {@code t} is the bucket's mean time in epoch seconds, {@code n} its observations, and
 * a quantity missing from a bucket is null. A bucket of one observation is that observation exactly (its time, and
 * min = max = mean = its value). Quantity names and units are shown as written only when they look like names and
 * units; anything else is left out, as the console's reader of searchsets does.
 */
final class ObservationSeriesJson {
    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9/%.*^ _-]{1,24}");

    private ObservationSeriesJson() {
    }

    /** How many observations the rows summarize (the buckets' own rows, those without a quantity name). */
    static long observations(List<ObservationSeriesRow> rows) {
        return rows.stream().filter(r -> r.name() == null).mapToLong(ObservationSeriesRow::count).sum();
    }

    static byte[] write(List<ObservationSeriesRow> rows, int buckets) {
        TreeMap<Integer, ObservationSeriesRow> times = new TreeMap<>();
        Map<String, Map<Integer, ObservationSeriesRow>> quantities = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        for (ObservationSeriesRow row : rows) {
            if (row.name() == null) {
                times.put(row.bucket(), row);
            } else if (NAME.matcher(row.name()).matches()) {
                quantities.computeIfAbsent(row.name(), n -> new TreeMap<>()).put(row.bucket(), row);
                if (row.unit() != null && UNIT.matcher(row.unit()).matches()) {
                    units.putIfAbsent(row.name(), row.unit());
                }
            }
        }
        List<Integer> order = new ArrayList<>(times.keySet());
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + order.size() * 24 * (1 + quantities.size()));
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeNumberField("count", observations(rows));
            json.writeNumberField("buckets", buckets);
            json.writeArrayFieldStart("t");
            for (Integer bucket : order) {
                number(json, Math.round(times.get(bucket).seconds() * 1000) / 1000.0);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("n");
            for (Integer bucket : order) {
                json.writeNumber(times.get(bucket).count());
            }
            json.writeEndArray();
            json.writeArrayFieldStart("series");
            for (Map.Entry<String, Map<Integer, ObservationSeriesRow>> quantity : quantities.entrySet()) {
                json.writeStartObject();
                json.writeStringField("name", quantity.getKey());
                json.writeStringField("unit", units.get(quantity.getKey()));
                column(json, "mean", order, quantity.getValue(), ObservationSeriesRow::mean);
                column(json, "min", order, quantity.getValue(), ObservationSeriesRow::min);
                column(json, "max", order, quantity.getValue(), ObservationSeriesRow::max);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void column(JsonGenerator json, String field, List<Integer> order,
            Map<Integer, ObservationSeriesRow> values, java.util.function.ToDoubleFunction<ObservationSeriesRow> value)
            throws IOException {
        json.writeArrayFieldStart(field);
        for (Integer bucket : order) {
            ObservationSeriesRow row = values.get(bucket);
            if (row == null) {
                json.writeNull();
            } else {
                number(json, value.applyAsDouble(row));
            }
        }
        json.writeEndArray();
    }

    /** Whole numbers without a fraction; means to 4 significant decimals (a plot needs no more). */
    private static void number(JsonGenerator json, double value) throws IOException {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            json.writeNumber((long) value);
        } else if (Math.abs(value) < 1e9) {
            json.writeNumber(Math.round(value * 10_000) / 10_000.0);
        } else {
            json.writeNumber(value);
        }
    }
}
