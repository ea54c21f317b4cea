package org.jupyterhealth.exchange.fhir.observation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.Supplier;

import org.jupyterhealth.exchange.fhir.directory.Records.Identifier;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * Writes an Observation exactly as {@link ObservationMapper} and HAPI FHIR's JSON encoder do (same elements, order
 * and formats), straight to a JSON stream. Searchset pages of up to 1000 observations are written this way because
 * building and encoding them through the HAPI model costs 0.1-0.2 ms per observation here; a test parses this
 * output with HAPI FHIR and compares it with the model rendering, so the two cannot drift apart.
 */
public final class ObservationJson {
    // field names encoded once: written from a String, each name costs as much as a value (an export writes
    // twenty of them per Observation)
    private static final SerializedString F_CODE = new SerializedString("code");
    private static final SerializedString F_CODING = new SerializedString("coding");
    private static final SerializedString F_CONTENT_TYPE = new SerializedString("contentType");
    private static final SerializedString F_DATA = new SerializedString("data");
    private static final SerializedString F_DEVICE = new SerializedString("device");
    private static final SerializedString F_DISPLAY = new SerializedString("display");
    private static final SerializedString F_EFFECTIVE_DATE_TIME = new SerializedString("effectiveDateTime");
    private static final SerializedString F_EFFECTIVE_PERIOD = new SerializedString("effectivePeriod");
    private static final SerializedString F_END = new SerializedString("end");
    private static final SerializedString F_ID = new SerializedString("id");
    private static final SerializedString F_IDENTIFIER = new SerializedString("identifier");
    private static final SerializedString F_LAST_UPDATED = new SerializedString("lastUpdated");
    private static final SerializedString F_META = new SerializedString("meta");
    private static final SerializedString F_REFERENCE = new SerializedString("reference");
    private static final SerializedString F_RESOURCE_TYPE = new SerializedString("resourceType");
    private static final SerializedString F_SOURCE = new SerializedString("source");
    private static final SerializedString F_START = new SerializedString("start");
    private static final SerializedString F_STATUS = new SerializedString("status");
    private static final SerializedString F_SUBJECT = new SerializedString("subject");
    private static final SerializedString F_SYSTEM = new SerializedString("system");
    private static final SerializedString F_VALUE = new SerializedString("value");
    private static final SerializedString F_VALUE_ATTACHMENT = new SerializedString("valueAttachment");

    private ObservationJson() {
    }

    public static void write(JsonGenerator json, RenderedObservation rendered) throws IOException {
        StoredObservation row = rendered.row();
        json.writeStartObject();
        writeField(json, F_RESOURCE_TYPE, "Observation");
        writeField(json, F_ID, Long.toString(row.id()));
        json.writeFieldName(F_META);
        json.writeStartObject();
        writeField(json, F_LAST_UPDATED, instant(row.lastUpdated()));
        writeField(json, F_SOURCE, ObservationMapper.SOURCE);
        json.writeEndObject();
        if (!row.identifiers().isEmpty()) {
            json.writeFieldName(F_IDENTIFIER);
            json.writeStartArray();
            for (Identifier identifier : row.identifiers()) {
                json.writeStartObject();
                writeIfPresent(json, F_SYSTEM, identifier.system());
                writeIfPresent(json, F_VALUE, identifier.value());
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        writeField(json, F_STATUS, ObservationMapper.status(row.status()).toCode());
        json.writeFieldName(F_CODE);
        json.writeStartObject();
        json.writeFieldName(F_CODING);
        json.writeStartArray();
        json.writeStartObject();
        writeIfPresent(json, F_SYSTEM, row.system());
        writeIfPresent(json, F_CODE, row.code());
        if (rendered.code() != null) {
            writeIfPresent(json, F_DISPLAY, rendered.code().text());
        }
        json.writeEndObject();
        json.writeEndArray();
        json.writeEndObject();
        json.writeFieldName(F_SUBJECT);
        json.writeStartObject();
        writeField(json, F_REFERENCE, "Patient/" + row.patientId());
        if (rendered.patient() != null && rendered.patient().jheUserId() != null) {
            json.writeFieldName(F_IDENTIFIER);
            json.writeStartObject();
            writeField(json, F_SYSTEM, ObservationMapper.JHE_USER_ID_SYSTEM);
            writeField(json, F_VALUE, rendered.patient().jheUserId().toString());
            json.writeEndObject();
        }
        json.writeEndObject();
        if (row.effectiveDateTime() != null) {
            writeField(json, F_EFFECTIVE_DATE_TIME, dateTime(row.effectiveDateTime()));
        } else if (row.effectivePeriodStart() != null || row.effectivePeriodEnd() != null) {
            json.writeFieldName(F_EFFECTIVE_PERIOD);
            json.writeStartObject();
            if (row.effectivePeriodStart() != null) {
                writeField(json, F_START, dateTime(row.effectivePeriodStart()));
            }
            if (row.effectivePeriodEnd() != null) {
                writeField(json, F_END, dateTime(row.effectivePeriodEnd()));
            }
            json.writeEndObject();
        }
        json.writeFieldName(F_VALUE_ATTACHMENT);
        json.writeStartObject();
        writeField(json, F_CONTENT_TYPE, "application/json");
        byte[] omh = row.omhJson().getBytes(StandardCharsets.UTF_8);
        json.writeFieldName(F_DATA);
        json.writeBinary(omh);
        json.writeEndObject();
        if (row.dataSourceId() != null) {
            json.writeFieldName(F_DEVICE);
            json.writeStartObject();
            writeField(json, F_REFERENCE, "Device/" + row.dataSourceId());
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private static void writeIfPresent(JsonGenerator json, SerializedString name, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            writeField(json, name, value);
        }
    }

    private static void writeField(JsonGenerator json, SerializedString name, String value) throws IOException {
        json.writeFieldName(name);
        json.writeString(value);
    }

    /**
     * What {@link ObservationMapper#dateTime} renders through HAPI FHIR: UTC, to the second, or to the millisecond
     * when the value has a fraction of a second. Written directly, as HAPI's rendering (through a Calendar) was a
     * tenth of a page's cost. Years outside 1600-9999 still go through HAPI, whose Calendar is Julian before 1582.
     */
    static String dateTime(OffsetDateTime value) {
        return utc(value, value.getNano() != 0, () -> ObservationMapper.dateTime(value).getValueAsString());
    }

    /** What {@link ObservationMapper#instant} renders through HAPI FHIR: UTC, to the millisecond. */
    static String instant(OffsetDateTime value) {
        return utc(value, true, () -> ObservationMapper.instant(value).getValueAsString());
    }

    private static String utc(OffsetDateTime value, boolean millis, Supplier<String> hapi) {
        // the store's values come in UTC already (the PostgreSQL client's timestamptz): no conversion to make
        LocalDateTime t = ZoneOffset.UTC.equals(value.getOffset()) ? value.toLocalDateTime()
                : value.atZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
        if (t.getYear() < 1600 || t.getYear() > 9999) {
            return hapi.get();
        }
        char[] out = new char[millis ? 24 : 20];
        digits(out, 0, t.getYear(), 4);
        out[4] = '-';
        digits(out, 5, t.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, t.getDayOfMonth(), 2);
        out[10] = 'T';
        digits(out, 11, t.getHour(), 2);
        out[13] = ':';
        digits(out, 14, t.getMinute(), 2);
        out[16] = ':';
        digits(out, 17, t.getSecond(), 2);
        if (millis) {
            out[19] = '.';
            digits(out, 20, t.getNano() / 1_000_000, 3);
        }
        out[out.length - 1] = 'Z';
        return new String(out);
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
