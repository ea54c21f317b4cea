package org.jupyterhealth.exchange.ingest.omh;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The clinical time raised from an Open mHealth body's {@code effective_time_frame}: a {@code date_time} instant, or
 * a {@code time_interval} period from its start and end, or either with a duration. Whatever is missing or malformed
 * gives no time at all.
 */
class EffectiveTimeTest {
    private static final OffsetDateTime MARCH_FIRST = OffsetDateTime.parse("2025-03-01T00:00:00Z");

    private static EffectiveTime of(String frame) {
        return EffectiveTime.of(OmhSchemas.jsonMapper().readTree("{\"effective_time_frame\": " + frame + "}"));
    }

    private static EffectiveTime startingMarchFirst(String duration) {
        return of("{\"time_interval\": {\"start_date_time\": \"2025-03-01T00:00:00Z\", \"duration\": " + duration
                + "}}");
    }

    @Test
    void aDateTimeIsAnInstantThatKeepsItsOffset() {
        EffectiveTime time = of("{\"date_time\": \"2025-01-01T00:04:00-08:00\"}");

        assertThat(time.dateTime()).isEqualTo(OffsetDateTime.parse("2025-01-01T00:04:00-08:00"));
        assertThat(time.dateTime().getOffset()).isEqualTo(ZoneOffset.ofHours(-8));
        assertThat(time.periodStart()).isNull();
        assertThat(time.periodEnd()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "2025-01-01T08:04:00Z", "2025-01-01T08:04:00+00:00", "2025-01-01T08:04:00-00:00",
            "2025-01-01T13:34:00+05:30", "2025-01-01T00:04:00-08:00", "2025-01-01T08:04:00" })
    void zAndEveryOffsetNameTheSameInstant(String dateTime) {
        assertThat(of("{\"date_time\": \"" + dateTime + "\"}").dateTime().toInstant())
                .isEqualTo(OffsetDateTime.parse("2025-01-01T08:04:00Z").toInstant());
    }

    @Test
    void aDateTimeWithoutOffsetOrSecondsIsReadInUtc() {
        assertThat(of("{\"date_time\": \"2025-01-01T08:04\"}").dateTime())
                .isEqualTo(OffsetDateTime.parse("2025-01-01T08:04:00Z"));
    }

    @ParameterizedTest
    @CsvSource({ "2025-06-30T12:00:00.5Z, 500000000", "2025-06-30T12:00:00.120+02:00, 120000000",
            "2025-06-30T12:00:00.000001Z, 1000", "2025-06-30T12:00:00.123456789-03:30, 123456789",
            "2025-06-30T12:00:00.250, 250000000" })
    void fractionalSecondsAreKeptToTheNanosecond(String dateTime, int nanos) {
        assertThat(of("{\"date_time\": \"" + dateTime + "\"}").dateTime().getNano()).isEqualTo(nanos);
    }

    @Test
    void aDateTimeWinsOverATimeInterval() {
        EffectiveTime time = of("""
                {"date_time": "2025-01-01T00:00:00Z",
                 "time_interval": {"start_date_time": "2024-01-01T00:00:00Z", "end_date_time": "2024-01-02T00:00:00Z"}}""");

        assertThat(time.dateTime()).isEqualTo(OffsetDateTime.parse("2025-01-01T00:00:00Z"));
        assertThat(time.periodStart()).isNull();
        assertThat(time.periodEnd()).isNull();
    }

    @Test
    void anIntervalWithStartAndEndIsAPeriodWithTheirOwnOffsets() {
        EffectiveTime time = of("""
                {"time_interval": {"start_date_time": "2025-03-01T22:00:00-08:00",
                                   "end_date_time": "2025-03-02T07:30:00.5+01:00"}}""");

        assertThat(time.dateTime()).isNull();
        assertThat(time.periodStart()).isEqualTo(OffsetDateTime.parse("2025-03-01T22:00:00-08:00"));
        assertThat(time.periodEnd()).isEqualTo(OffsetDateTime.parse("2025-03-02T07:30:00.5+01:00"));
    }

    @Test
    void aGivenEndWinsOverTheDuration() {
        EffectiveTime time = of("""
                {"time_interval": {"start_date_time": "2025-03-01T00:00:00Z", "end_date_time": "2025-03-01T00:10:00Z",
                                   "duration": {"value": 3, "unit": "h"}}}""");

        assertThat(time.periodEnd()).isEqualTo(OffsetDateTime.parse("2025-03-01T00:10:00Z"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({ "1, d, 2025-03-02T00:00:00Z", "0.5, d, 2025-03-01T12:00:00Z", "1.5, h, 2025-03-01T01:30:00Z",
            "90, min, 2025-03-01T01:30:00Z", "30, sec, 2025-03-01T00:00:30Z", "30, s, 2025-03-01T00:00:30Z",
            "250, ms, 2025-03-01T00:00:00.25Z", "7, us, 2025-03-01T00:00:00.000007Z",
            "5, ns, 2025-03-01T00:00:00.000000005Z", "1000, ps, 2025-03-01T00:00:00Z", "2, wk, 2025-03-15T00:00:00Z",
            "1, Mo, 2025-04-01T00:00:00Z", "1, yr, 2026-03-01T00:00:00Z", "0, h, 2025-03-01T00:00:00Z" })
    void aStartAndADurationEndWhereTheDurationSays(String value, String unit, String end) {
        EffectiveTime time = startingMarchFirst("{\"value\": " + value + ", \"unit\": \"" + unit + "\"}");

        assertThat(time.periodStart()).isEqualTo(MARCH_FIRST);
        assertThat(time.periodEnd()).isEqualTo(OffsetDateTime.parse(end));
        assertThat(time.outOfRange()).isFalse();
    }

    @Test
    void anEndAndADurationStartWhereTheDurationSaysAndMonthsFollowTheCalendar() {
        EffectiveTime time = of("""
                {"time_interval": {"end_date_time": "2024-03-31T10:00:00+02:00",
                                   "duration": {"value": 1, "unit": "Mo"}}}""");

        assertThat(time.periodStart()).isEqualTo(OffsetDateTime.parse("2024-02-29T10:00:00+02:00"));
        assertThat(time.periodEnd()).isEqualTo(OffsetDateTime.parse("2024-03-31T10:00:00+02:00"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{}", "{\"time_interval\": {}}", "{\"date_time\": null}", "{\"time_interval\": null}",
            "{\"time_interval\": {\"start_date_time\": \"2025-03-01T00:00:00Z\"}}",
            "{\"time_interval\": {\"end_date_time\": \"2025-03-01T00:00:00Z\"}}",
            "{\"time_interval\": {\"duration\": {\"value\": 1, \"unit\": \"h\"}}}",
            "{\"time_interval\": \"2025-03-01T00:00:00Z/PT1H\"}", "\"2025-03-01T00:00:00Z\"", "null", "[]" })
    void aFrameWithoutAWholeTimeGivesNoTime(String frame) {
        assertThat(of(frame)).isEqualTo(EffectiveTime.NONE);
    }

    @Test
    void aBodyWithoutAFrameGivesNoTime() {
        assertThat(EffectiveTime.of(null)).isEqualTo(EffectiveTime.NONE);
        assertThat(EffectiveTime.of(OmhSchemas.jsonMapper().readTree("{\"heart_rate\": {}}")))
                .isEqualTo(EffectiveTime.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"date_time\": 1735689600}", "{\"date_time\": \"yesterday\"}",
            "{\"date_time\": \"\"}", "{\"date_time\": \"2025-02-29T00:00:00Z\"}",
            "{\"date_time\": \"2025-01-01T24:00:00Z\"}", "{\"date_time\": \"2025-01-01T00:00:00+19:00\"}",
            "{\"date_time\": \"2025-01-01T00:00:00.1234567890Z\"}", "{\"date_time\": \"2025-01-01\"}",
            "{\"date_time\": {\"value\": \"2025-01-01T00:00:00Z\"}}",
            """
            {"time_interval": {"start_date_time": "2025-13-01T00:00:00Z", "end_date_time": "2025-03-01T00:00:00Z"}}""",
            """
            {"time_interval": {"start_date_time": "2025-03-01T00:00:00Z", "end_date_time": "soon"}}""" })
    void aMalformedDateTimeGivesNoTime(String frame) {
        assertThat(of(frame)).isEqualTo(EffectiveTime.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"value\": 1, \"unit\": \"fortnight\"}", "{\"value\": \"1\", \"unit\": \"h\"}",
            "{\"value\": 1}", "{\"unit\": \"h\"}", "{\"value\": null, \"unit\": \"h\"}", "3600", "\"PT1H\"" })
    void aMalformedDurationGivesNoTime(String duration) {
        assertThat(startingMarchFirst(duration)).isEqualTo(EffectiveTime.NONE);
    }

    @Test
    void aDurationBeyondTheYear9999IsOutOfRangeAndAnOrdinaryOneIsNot() {
        assertThat(startingMarchFirst("{\"value\": 8000, \"unit\": \"yr\"}").outOfRange()).isTrue();
        assertThat(startingMarchFirst("{\"value\": 1e30, \"unit\": \"sec\"}").outOfRange()).isTrue();
        assertThat(of("""
                {"time_interval": {"end_date_time": "2025-03-01T00:00:00Z", "duration": {"value": 2026, "unit": "yr"}}}""")
                .outOfRange()).isTrue();
        assertThat(startingMarchFirst("{\"value\": 7974, \"unit\": \"yr\"}").outOfRange()).isFalse();
        assertThat(of("{\"date_time\": \"9999-12-31T23:59:59Z\"}").outOfRange()).isFalse();
        assertThat(of("{\"date_time\": \"0001-01-01T00:00:00Z\"}").outOfRange()).isFalse();
    }
}
