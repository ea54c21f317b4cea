package org.jupyterhealth.exchange.ingest.resource;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r5.model.Resource;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.ingest.resource.SearchValues.Token;

import ca.uhn.fhir.context.FhirContext;

/**
 * The search values taken from a resource when it is written: a Condition's clinical status, encounter and own dates
 * (onset, abatement, recorded, asserted), the dates in the fixed-width UTC form that compares as the instants do; a
 * Device's names.
 */
class SearchValuesTest {
    static Resource parse(String json) {
        return (Resource) FhirContext.forR5Cached().newJsonParser().parseResource(json);
    }

    @Test
    void aConditionIsSearchedByItsClinicalStatusEncounterAndItsDates() {
        Resource condition = parse("""
                {"resourceType": "Condition",
                 "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/condition-assertedDate",
                                "valueDateTime": "2024-12-31T23:00:00-02:00"}],
                 "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                                "code": "active"}]},
                 "code": {"coding": [{"system": "http://snomed.info/sct", "code": "44054006"}]},
                 "subject": {"reference": "Patient/abc"},
                 "encounter": {"reference": "Encounter/e-1"},
                 "onsetDateTime": "2020-05-01T08:30:00Z",
                 "abatementPeriod": {"start": "2021-01-02T00:00:00Z"},
                 "recordedDate": "2020-05-03T10:00:00.5+01:00"}
                """);

        SearchValues.Values values = SearchValues.of(condition);

        assertThat(values.tokens()).contains(
                new Token("clinical-status", "http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
                new Token("encounter", "", "Encounter/e-1"),
                new Token("onset-date", "", "2020-05-01T08:30:00.000000Z"),
                new Token("abatement-date", "", "2021-01-02T00:00:00.000000Z"),
                new Token("recorded-date", "", "2020-05-03T09:00:00.500000Z"),
                new Token("asserted-date", "", "2025-01-01T01:00:00.000000Z"),
                new Token("code", "http://snomed.info/sct", "44054006"));
        // the clinical date is the first of the type's date elements it has: the onset
        assertThat(values.clinicalDate()).isEqualTo("2020-05-01T08:30:00Z");
    }

    @Test
    void aDeviceIsSearchedByTheValuesOfItsNamesInLowerCase() {
        Resource device = parse("""
                {"resourceType": "Device",
                 "name": [{"value": "Omron HEM-7600T", "type": "user-friendly-name"},
                          {"value": "BP7600", "type": "registered-name", "display": true}]}
                """);

        SearchValues.Values values = SearchValues.of(device);

        assertThat(values.tokens()).filteredOn(token -> token.name().equals("name"))
                .containsExactly(new Token("name", "", "omron hem-7600t"), new Token("name", "", "bp7600"));
    }

    @Test
    void aConditionWithoutDatesOrWithAnAgeAsOnsetHasNoDateValues() {
        Resource condition = parse("""
                {"resourceType": "Condition",
                 "clinicalStatus": {"coding": [{"code": "resolved"}]},
                 "subject": {"reference": "Patient/abc"},
                 "onsetAge": {"value": 40, "unit": "a", "system": "http://unitsofmeasure.org", "code": "a"}}
                """);

        SearchValues.Values values = SearchValues.of(condition);

        assertThat(values.tokens()).contains(new Token("clinical-status", "", "resolved"));
        assertThat(values.tokens()).extracting(Token::name)
                .doesNotContain("onset-date", "abatement-date", "recorded-date", "asserted-date", "encounter");
    }

    @Test
    void aDateWithoutATimeIsItsFirstInstantInUtcWhateverTheJvmsTimeZone() {
        java.util.TimeZone before = java.util.TimeZone.getDefault();
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("America/New_York"));
        try {
            Resource condition = parse("""
                    {"resourceType": "Condition", "subject": {"reference": "Patient/abc"},
                     "onsetDateTime": "2020", "abatementDateTime": "2021-02", "recordedDate": "2021-03-04"}
                    """);

            assertThat(SearchValues.of(condition).tokens()).contains(
                    new Token("onset-date", "", "2020-01-01T00:00:00.000000Z"),
                    new Token("abatement-date", "", "2021-02-01T00:00:00.000000Z"),
                    new Token("recorded-date", "", "2021-03-04T00:00:00.000000Z"));
        } finally {
            java.util.TimeZone.setDefault(before);
        }
    }

    @Test
    void theDateFormComparesAsTheInstantsDo() {
        String earlier = SearchValues.DATE_TOKEN.format(java.time.Instant.parse("0999-12-31T23:59:59.999999Z"));
        String later = SearchValues.DATE_TOKEN.format(java.time.Instant.parse("2025-01-01T00:00:00Z"));
        assertThat(earlier).isEqualTo("0999-12-31T23:59:59.999999Z");
        assertThat(earlier.compareTo(later)).isNegative();
    }
}
