package org.jupyterhealth.exchange.ingest.omh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The direct reading of the usual date-time shape gives exactly what the general parser gives, errors included. */
class EffectiveTimeParseTest {

    @ParameterizedTest
    @ValueSource(strings = { "2025-01-01T00:04:00-08:00", "2025-01-01T00:04:00Z", "2024-02-29T23:59:59+14:00",
            "2025-06-30T12:00:00.5Z", "2025-06-30T12:00:00.123456789-03:30", "2025-06-30T12:00:00.120+00:00",
            "2025-06-30T12:00:00-00:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
            // shapes only the general parser reads
            "2025-01-01t00:04:00z", "2025-01-01T00:04Z", "2025-01-01T00:04:00+05", "2025-01-01T00:04:00+05:30:15",
            "+12025-01-01T00:04:00Z", "2025-01-01T00:00:00.Z" })
    void sameAsTheGeneralParser(String text) {
        assertEquals(OffsetDateTime.parse(text), EffectiveTime.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = { "2025-01-01T00:04:00", "2025-01-01T00:04:00.250" })
    void aDateTimeWithoutOffsetIsInUtcAsTheOpenMHealthSchemaSays(String text) {
        assertEquals(OffsetDateTime.parse(text + "Z"), EffectiveTime.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = { "2025-02-29T00:00:00Z", "2025-13-01T00:00:00Z", "2025-01-32T00:00:00Z",
            "2025-01-01T24:00:00Z", "2025-01-01T00:60:00Z", "2025-01-01T00:00:60Z", "2025-01-01T00:00:00+19:00",
            "2025-01-01T00:00:00.1234567890Z", "2025-01-01",
            "2025-01-01T00:00:00+0800", "2025-01-01T00:00:00Zjunk", "2025-0a-01T00:00:00Z", "2025-01-01T00:00:00+08:6x",
            "２０２５-01-01T00:00:00Z" })
    void invalidValuesFailAsTheGeneralParserFails(String text) {
        assertThrows(DateTimeParseException.class, () -> OffsetDateTime.parse(text));
        assertThrows(DateTimeParseException.class, () -> EffectiveTime.parse(text));
    }
}
