package org.jupyterhealth.exchange.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.HEART_RATE;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.PETER;

import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.common.upload.UploadEntry;
import org.jupyterhealth.exchange.ingest.omh.EffectiveTime;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What an uploader is told about a data point's {@code effective_time_frame}: a time the schema accepts is kept as the
 * observation's clinical time; one it refuses, or one that a duration carries past the year 9999, is the entry's
 * 422 naming the path at fault, and nothing of the entry is kept.
 */
class EntryCheckerEffectiveTimeTest {

    private static CheckedEntry check(String frame) throws Exception {
        ObjectNode dataPoint = Fixtures.dataPoint(HEART_RATE);
        ((ObjectNode) dataPoint.get("body")).set("effective_time_frame", Fixtures.JSON.readTree(frame));
        return EntryCheckerTest.CHECKER.check(0,
                new UploadEntry(Fixtures.observation(PETER, HEART_RATE, dataPoint), "POST", "Observation"));
    }

    @Test
    void aDateTimeWithAnOffsetAndFractionIsKeptAsTheInstant() throws Exception {
        CheckedEntry entry = check("{\"date_time\": \"2025-01-01T00:04:00.25-08:00\"}");

        assertThat(entry.payloadProblem()).isNull();
        assertThat(entry.effective().dateTime()).isEqualTo(OffsetDateTime.parse("2025-01-01T00:04:00.25-08:00"));
        assertThat(entry.effective().periodStart()).isNull();
    }

    @Test
    void aDateTimeWithoutOffsetIsAcceptedAndKeptInUtc() throws Exception {
        CheckedEntry entry = check("{\"date_time\": \"2025-01-01T08:04:00\"}");

        assertThat(entry.payloadProblem()).isNull();
        assertThat(entry.effective().dateTime()).isEqualTo(OffsetDateTime.parse("2025-01-01T08:04:00Z"));
    }

    @Test
    void anIntervalWithADurationIsKeptAsAPeriod() throws Exception {
        CheckedEntry entry = check("""
                {"time_interval": {"start_date_time": "2025-03-01T22:00:00-08:00",
                                   "duration": {"value": 8.5, "unit": "h"}}}""");

        assertThat(entry.payloadProblem()).isNull();
        assertThat(entry.effective().periodStart()).isEqualTo(OffsetDateTime.parse("2025-03-01T22:00:00-08:00"));
        assertThat(entry.effective().periodEnd()).isEqualTo(OffsetDateTime.parse("2025-03-02T06:30:00-08:00"));
        assertThat(entry.omhData()).contains("\"duration\"");
    }

    @Test
    void anIntervalFromStartToEndIsKeptAsAPeriod() throws Exception {
        CheckedEntry entry = check("""
                {"time_interval": {"start_date_time": "2025-03-01T00:00:00Z", "end_date_time": "2025-03-01T00:30:00Z"}}""");

        assertThat(entry.payloadProblem()).isNull();
        assertThat(entry.effective()).isEqualTo(new EffectiveTime(null, OffsetDateTime.parse("2025-03-01T00:00:00Z"),
                OffsetDateTime.parse("2025-03-01T00:30:00Z")));
    }

    @Test
    void aDurationPastTheYear9999Is422NamingTheFrame() throws Exception {
        CheckedEntry entry = check("""
                {"time_interval": {"start_date_time": "2026-01-31T00:00:00Z",
                                   "duration": {"value": 100000000, "unit": "yr"}}}""");

        assertThat(entry.payloadProblem()).isEqualTo(EntryOutcome.failed(422, "invalid",
                "$.body.effective_time_frame: lies outside the years 1 to 9999."));
        assertThat(entry.effective()).isEqualTo(EffectiveTime.NONE);
        assertThat(entry.omhData()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "2025-02-30T00:00:00Z", "2025-01-01T24:00:00Z", "2025-13-01T00:00:00Z",
            "2025-01-01T00:00:00.Z", "2025-01-01", "yesterday", "" })
    void anImpossibleDateTimeIs422NamingItsPath(String dateTime) throws Exception {
        CheckedEntry entry = check("{\"date_time\": \"" + dateTime + "\"}");

        assertThat(entry.payloadProblem().status()).isEqualTo(422);
        assertThat(entry.payloadProblem().issueCode()).isEqualTo("invalid");
        assertThat(entry.payloadProblem().diagnostics()).startsWith("$.body.effective_time_frame.date_time: ")
                .contains("date-time");
        assertThat(entry.effective()).isEqualTo(EffectiveTime.NONE);
        assertThat(entry.omhData()).isNull();
    }

    @Test
    void anImpossibleStartOfAnIntervalIs422NamingTheFrame() throws Exception {
        CheckedEntry entry = check("""
                {"time_interval": {"start_date_time": "2025-13-01T00:00:00Z", "end_date_time": "2025-03-01T00:00:00Z"}}""");

        assertThat(entry.payloadProblem().status()).isEqualTo(422);
        assertThat(entry.payloadProblem().diagnostics()).startsWith("$.body.effective_time_frame");
        assertThat(entry.effective()).isEqualTo(EffectiveTime.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = { "{}", "{\"time_interval\": {\"start_date_time\": \"2025-03-01T00:00:00Z\"}}",
            "{\"time_interval\": {\"duration\": {\"value\": 1, \"unit\": \"h\"}}}", "\"2025-03-01T00:00:00Z\"" })
    void aFrameWithoutAWholeTimeIs422NamingTheFrame(String frame) throws Exception {
        CheckedEntry entry = check(frame);

        assertThat(entry.payloadProblem().status()).isEqualTo(422);
        assertThat(entry.payloadProblem().diagnostics()).startsWith("$.body.effective_time_frame");
        assertThat(entry.effective()).isEqualTo(EffectiveTime.NONE);
    }
}
