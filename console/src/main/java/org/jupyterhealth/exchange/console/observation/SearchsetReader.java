package org.jupyterhealth.exchange.console.observation;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Reads one page of an Observation searchset into an {@link ObservationSeries}, streaming: only each entry's
 * effective time and its Open mHealth data point ({@code valueAttachment.data}) are looked at; everything else is
 * skipped without building a tree, as a page holds up to 1000 resources. A data point's quantities are its body's
 * fields that hold a number ({@code "step_count": 1200}) or a unit value ({@code "heart_rate": {"value": 67,
 * "unit": "beats/min"}}); an entry without a time or without numbers adds nothing.
 */
final class SearchsetReader {
    private static final JsonFactory JSON = new JsonFactory();
    /** Names and units shown as written: anything else in a data point is not a quantity the console shows. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9/%.*^ _-]{1,24}");

    private SearchsetReader() {
    }

    /** Adds the page's data points to {@code series}; the next page's {@code _cursor}, or null on the last page. */
    static String read(byte[] page, ObservationSeries series) throws IOException {
        String next = null;
        try (JsonParser json = JSON.createParser(page)) {
            expect(json.nextToken(), JsonToken.START_OBJECT);
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                if ("link".equals(field) && value == JsonToken.START_ARRAY) {
                    String url = nextLink(json);
                    next = url == null ? null : cursorOf(url);
                } else if ("entry".equals(field) && value == JsonToken.START_ARRAY) {
                    while (json.nextToken() == JsonToken.START_OBJECT) {
                        entry(json, series);
                    }
                } else {
                    json.skipChildren();
                }
            }
        }
        return next;
    }

    private static String nextLink(JsonParser json) throws IOException {
        String next = null;
        while (json.nextToken() == JsonToken.START_OBJECT) {
            String relation = null;
            String url = null;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                json.nextToken();
                if ("relation".equals(field)) {
                    relation = json.getValueAsString();
                } else if ("url".equals(field)) {
                    url = json.getValueAsString();
                } else {
                    json.skipChildren();
                }
            }
            if ("next".equals(relation)) {
                next = url;
            }
        }
        return next;
    }

    /** The {@code _cursor} of a next link (the link's host is the API's, so only its cursor is used). */
    static String cursorOf(String url) {
        String query = URI.create(url).getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("_cursor=")) {
                return URLDecoder.decode(pair.substring("_cursor=".length()), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void entry(JsonParser json, ObservationSeries series) throws IOException {
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            if ("resource".equals(field) && value == JsonToken.START_OBJECT) {
                resource(json, series);
            } else {
                json.skipChildren();
            }
        }
    }

    private static void resource(JsonParser json, ObservationSeries series) throws IOException {
        String time = null;
        byte[] data = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            if ("effectiveDateTime".equals(field) && value == JsonToken.VALUE_STRING) {
                time = json.getText();
            } else if ("effectivePeriod".equals(field) && value == JsonToken.START_OBJECT) {
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String part = json.currentName();
                    json.nextToken();
                    if ("start".equals(part) && json.currentToken() == JsonToken.VALUE_STRING) {
                        time = json.getText();
                    } else {
                        json.skipChildren();
                    }
                }
            } else if ("valueAttachment".equals(field) && value == JsonToken.START_OBJECT) {
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String part = json.currentName();
                    json.nextToken();
                    if ("data".equals(part) && json.currentToken() == JsonToken.VALUE_STRING) {
                        data = json.getBinaryValue();
                    } else {
                        json.skipChildren();
                    }
                }
            } else {
                json.skipChildren();
            }
        }
        Double seconds = seconds(time);
        if (seconds != null && data != null) {
            dataPoint(data, seconds, series);
        }
    }

    /** An Open mHealth data point's body: its numbers become the point's quantities. */
    private static void dataPoint(byte[] data, double seconds, ObservationSeries series) throws IOException {
        boolean started = false;
        try (JsonParser json = JSON.createParser(data)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                if (!"body".equals(field) || value != JsonToken.START_OBJECT) {
                    json.skipChildren();
                    continue;
                }
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String name = json.currentName();
                    JsonToken quantity = json.nextToken();
                    double number = Double.NaN;
                    String unit = null;
                    if (quantity.isNumeric()) {
                        number = json.getDoubleValue();
                    } else if (quantity == JsonToken.START_OBJECT) {
                        while (json.nextToken() == JsonToken.FIELD_NAME) {
                            String part = json.currentName();
                            JsonToken partValue = json.nextToken();
                            if ("value".equals(part) && partValue.isNumeric()) {
                                number = json.getDoubleValue();
                            } else if ("unit".equals(part) && partValue == JsonToken.VALUE_STRING) {
                                unit = json.getText();
                            } else {
                                json.skipChildren();
                            }
                        }
                    } else {
                        json.skipChildren();
                    }
                    if (!Double.isNaN(number) && Double.isFinite(number) && NAME.matcher(name).matches()) {
                        if (!started) {
                            series.addPoint(seconds);
                            started = true;
                        }
                        series.value(name, number, unit != null && UNIT.matcher(unit).matches() ? unit : null);
                    }
                }
            }
        } catch (com.fasterxml.jackson.core.JsonParseException e) {
            // a data point that is not JSON adds nothing; the rest of the page still counts
        }
    }

    private static Double seconds(String time) {
        if (time == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(time).toInstant().toEpochMilli() / 1000.0;
        } catch (DateTimeParseException e) {
            return null; // a date without a time of day cannot be placed on the time axis
        }
    }

    private static void expect(JsonToken token, JsonToken expected) throws IOException {
        if (token != expected) {
            throw new IOException("not a searchset: " + token);
        }
    }
}
