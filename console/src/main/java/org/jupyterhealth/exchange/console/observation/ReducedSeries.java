package org.jupyterhealth.exchange.console.observation;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A plot's series as the FHIR API's {@code Observation/$series} reduces it: one entry per time bucket holding
 * observations ({@code t}, the bucket's mean time; {@code n}, how many), and per quantity the bucket's mean
 * ({@code v}), least ({@code min}) and greatest ({@code max}) value. A bucket of one observation is that observation
 * exactly, so a range that holds fewer observations than buckets plots every one as it is. Only a few thousand
 * numbers cross the network whatever the range holds (a month of 100,000 heart rates was 100 pages of FHIR
 * resources read and parsed here).
 */
public final class ReducedSeries {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9/%.*^ _-]{1,24}");

    private final long count;
    private final double[] times;
    private final long[] counts;
    private final List<Quantity> quantities;

    /** One quantity's columns, aligned with the times; NaN where a bucket has no value of it. */
    record Quantity(String name, String unit, double[] mean, double[] min, double[] max) {
    }

    private ReducedSeries(long count, double[] times, long[] counts, List<Quantity> quantities) {
        this.count = count;
        this.times = times;
        this.counts = counts;
        this.quantities = quantities;
    }

    /**
     * Reads the API's answer; columns of another length than the times', names and units that do not look like
     * names and units are left out (the answer is the API's, but the console shows nothing it has not checked).
     */
    public static ReducedSeries read(byte[] answer) throws IOException {
        JsonNode root = MAPPER.readTree(answer);
        JsonNode t = root.path("t");
        JsonNode n = root.path("n");
        int size = t.size();
        double[] times = new double[size];
        long[] counts = new long[size];
        for (int i = 0; i < size; i++) {
            times[i] = t.get(i).asDouble(Double.NaN);
            counts[i] = n.size() == size ? n.get(i).asLong() : 0;
        }
        List<Quantity> quantities = new ArrayList<>();
        for (JsonNode series : root.path("series")) {
            String name = series.path("name").asText("");
            if (!NAME.matcher(name).matches()) {
                continue;
            }
            String unit = series.path("unit").isTextual() && UNIT.matcher(series.path("unit").asText()).matches()
                    ? series.path("unit").asText() : null;
            double[] mean = column(series.path("mean"), size);
            double[] min = column(series.path("min"), size);
            double[] max = column(series.path("max"), size);
            if (mean != null && min != null && max != null) {
                quantities.add(new Quantity(name, unit, mean, min, max));
            }
        }
        return new ReducedSeries(root.path("count").asLong(0), times, counts, quantities);
    }

    /** The quantities' names and units (a unit null when the API gave none that looks like one), in its order. */
    public List<String[]> columns() {
        return quantities.stream().map(q -> new String[] { q.name(), q.unit() }).toList();
    }

    private static double[] column(JsonNode values, int size) {
        if (!values.isArray() || values.size() != size) {
            return null;
        }
        double[] column = new double[size];
        for (int i = 0; i < size; i++) {
            JsonNode value = values.get(i);
            column[i] = value.isNumber() ? value.asDouble() : Double.NaN;
        }
        return column;
    }

    /** How many observations the buckets summarize. */
    public long count() {
        return count;
    }

    /** Whether some bucket summarizes more than one observation (the plot then shows each bucket's range). */
    public boolean reduced() {
        for (long n : counts) {
            if (n > 1) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code {"code", "from", "to", "count", "reduced", "t": [...], "n": [...], "series": [{"name", "label", "unit", "v": [...],
     * "min": [...], "max": [...]}]}}, {@code from} and {@code to} the range read (epoch seconds): missing values
     * are null, as the plot library expects for gaps.
     */
    public void writeJson(String code, long from, long to, OutputStream out) throws IOException {
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("code", code);
            json.writeNumberField("from", from);
            json.writeNumberField("to", to);
            json.writeNumberField("count", count);
            json.writeBooleanField("reduced", reduced());
            json.writeArrayFieldStart("t");
            for (double time : times) {
                number(json, time);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("n");
            for (long n : counts) {
                json.writeNumber(n);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("series");
            for (Quantity quantity : quantities) {
                json.writeStartObject();
                json.writeStringField("name", quantity.name());
                json.writeStringField("label", ObservationSeries.label(quantity.name()));
                json.writeStringField("unit", quantity.unit());
                array(json, "v", quantity.mean());
                array(json, "min", quantity.min());
                array(json, "max", quantity.max());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    private static void array(JsonGenerator json, String field, double[] values) throws IOException {
        json.writeArrayFieldStart(field);
        for (double value : values) {
            number(json, value);
        }
        json.writeEndArray();
    }

    private static void number(JsonGenerator json, double value) throws IOException {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            json.writeNull();
        } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            json.writeNumber((long) value);
        } else {
            json.writeNumber(value);
        }
    }
}
