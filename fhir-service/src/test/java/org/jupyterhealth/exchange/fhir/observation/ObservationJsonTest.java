package org.jupyterhealth.exchange.fhir.observation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Meta;
import org.hl7.fhir.r5.model.Resource;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.fhir.directory.Records.CodeRecord;
import org.jupyterhealth.exchange.fhir.directory.Records.Identifier;
import org.jupyterhealth.exchange.fhir.directory.Records.PatientRecord;
import org.jupyterhealth.exchange.fhir.search.PageCursor;
import org.jupyterhealth.exchange.fhir.search.SearchBundles;
import org.jupyterhealth.exchange.fhir.search.SearchRequest;
import org.jupyterhealth.exchange.fhir.search.SearchsetJson;
import org.jupyterhealth.exchange.fhir.web.FhirRequest;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;

/**
 * The streamed searchset is byte for byte what HAPI FHIR writes for the same observations rendered through the
 * HAPI model, and HAPI FHIR reads it back as a valid R5 Bundle.
 */
class ObservationJsonTest {
    static final FhirContext FHIR = FhirContext.forR5Cached();

    static StoredObservation row(long id, List<Identifier> identifiers, OffsetDateTime instant, OffsetDateTime start,
            OffsetDateTime end, Long device, String status, String omh) {
        return new StoredObservation(id, 40001, 50004L, "https://w3id.org/openmhealth", "omh:heart-rate:2.0", device,
                status, omh, instant, start, end, instant != null ? instant : start,
                OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 678_901_000, ZoneOffset.UTC), identifiers);
    }

    @Test
    void theStreamedSearchsetIsExactlyWhatHapiWrites() {
        PatientRecord patient = new PatientRecord(40001, 10006L, "F", "G", null, null, null, List.of(), List.of(), null);
        CodeRecord code = new CodeRecord(50004, "https://w3id.org/openmhealth", "omh:heart-rate:2.0", "Heart \"Rate\" é");
        OffsetDateTime when = OffsetDateTime.of(2025, 3, 1, 8, 0, 0, 0, ZoneOffset.ofHours(2));
        List<RenderedObservation> rows = List.of(
                new RenderedObservation(row(1, List.of(new Identifier("https://ids.example", "a|b"),
                        new Identifier("urn:x", "2")), when, null, null, 70001L, "final",
                        "{\"header\": {\"uuid\": \"x\"}, \"body\": {\"v\": \"ü\\n\"}}"), patient, code),
                new RenderedObservation(row(2, List.of(), null, when, when.plusHours(1), null, "amended", "{}"), null,
                        null),
                new RenderedObservation(row(3, List.of(), when.withNano(5_000_000), null, null, null, "bogus",
                        "{\"a\": 1}"), patient, null),
                new RenderedObservation(row(4, List.of(), null, null, when, null, "final", "[]"), patient, code));
        FhirRequest request = FhirRequest.of(URI.create("https://exchange.example/FHIR/R5/Observation?patient=40001"),
                "/FHIR/R5");
        SearchRequest search = new SearchRequest("Observation", Map.of("patient", List.of("40001")), false);
        PageCursor next = new PageCursor(true, "123", 4, 99, 4);
        PageCursor previous = new PageCursor(false, "", 1, 99, 4);

        byte[] streamed = SearchsetJson.write(request, search, true, "Observation", rows, r -> r.row().id(),
                ObservationJson::write, 4L, next, previous).getBytes();
        List<Resource> resources = rows.stream()
                .map(r -> (Resource) ObservationMapper.toFhir(r.row(), r.patient(), r.code())).toList();
        Bundle model = SearchBundles.searchset(request, search, true, resources, 4L, next, previous);

        IParser parser = FHIR.newJsonParser();
        String actual = new String(streamed, StandardCharsets.UTF_8);
        model.setMeta(searchTimeOf(actual));
        String expected = parser.encodeResourceToString(model);
        assertThat(actual).isEqualTo(expected);
        Bundle parsed = parser.parseResource(Bundle.class, actual);
        assertThat(parsed.getEntry()).hasSize(4);
        assertThat(parser.encodeResourceToString(parsed)).isEqualTo(expected);
    }

    @Test
    void timesAreWrittenAsHapiFhirWritesThem() {
        Random random = new Random(20261126);
        List<OffsetDateTime> values = new ArrayList<>(List.of(
                OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                OffsetDateTime.of(999, 12, 31, 23, 59, 59, 999_999_999, ZoneOffset.UTC),
                OffsetDateTime.of(1599, 12, 31, 23, 59, 59, 500_000_000, ZoneOffset.UTC),
                OffsetDateTime.of(1600, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                OffsetDateTime.of(2024, 2, 29, 23, 30, 0, 1_000, ZoneOffset.ofHours(-5)),
                OffsetDateTime.of(9999, 12, 31, 23, 59, 59, 0, ZoneOffset.UTC),
                OffsetDateTime.of(2026, 1, 1, 0, 30, 0, 0, ZoneOffset.ofHoursMinutes(5, 30))));
        for (int i = 0; i < 2000; i++) {
            long second = random.nextLong(-2_000_000_000L, 4_000_000_000L);
            int nano = random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000);
            values.add(Instant.ofEpochSecond(second, nano)
                    .atOffset(ZoneOffset.ofHours(random.nextInt(-12, 13))));
        }
        for (OffsetDateTime value : values) {
            assertThat(ObservationJson.dateTime(value)).as("dateTime %s", value)
                    .isEqualTo(ObservationMapper.dateTime(value).getValueAsString());
            assertThat(ObservationJson.instant(value)).as("instant %s", value)
                    .isEqualTo(ObservationMapper.instant(value).getValueAsString());
        }
    }

    /** The streamed searchset's meta (the time it was written), for a model built at another instant. */
    private static Meta searchTimeOf(String streamed) {
        return FHIR.newJsonParser().parseResource(Bundle.class, streamed).getMeta();
    }

    @Test
    void anEmptyPageHasAnEmptyEntryList() {
        FhirRequest request = FhirRequest.of(URI.create("http://localhost/fhir/r5/Observation"), "/fhir/r5");
        SearchRequest search = new SearchRequest("Observation", Map.of(), false);

        String actual = new String(SearchsetJson.write(request, search, true, "Observation",
                List.<RenderedObservation>of(), r -> r.row().id(), ObservationJson::write, 0L, null, null)
                .getBytes(), StandardCharsets.UTF_8);

        Bundle model = SearchBundles.searchset(request, search, true, List.of(), 0L, null, null);
        model.setMeta(searchTimeOf(actual));
        assertThat(actual).isEqualTo(SearchBundles.completeJson(model, FHIR.newJsonParser()
                .encodeResourceToString(model)));
        assertThat(actual).contains("\"entry\":[]");
    }
}
