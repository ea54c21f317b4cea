package org.jupyterhealth.exchange.fhir.resource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.OffsetDateTime;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.testing.FhirSearch;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.fhir.support.FakeAdmin;
import org.jupyterhealth.exchange.fhir.support.ObservationStore;
import org.jupyterhealth.exchange.fhir.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Condition's own search parameters over rows as ingest-service writes them (its SearchValues): clinical-status,
 * encounter, onset-date, recorded-date, abatement-date and asserted-date, each matching, not matching and refusing a
 * malformed value with a 400 naming it; names with underscores ({@code clinical_status}) as the original reads them.
 */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(FakeAdmin.class)
@QuarkusTestResource(ObservationStore.class)
class StoreConditionSearchTest {
    static final String CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical";

    /** Peter's Condition, with the search values ingest-service takes from it. */
    static String condition(String encounter) {
        String json = "{\"resourceType\":\"Condition\",\"clinicalStatus\":{\"coding\":[{\"system\":\"" + CLINICAL
                + "\",\"code\":\"active\"}]},\"subject\":{\"reference\":\"Patient/p\"},\"encounter\":{\"reference\":\""
                + encounter + "\"},\"onsetDateTime\":\"2020-05-01T08:30:00Z\",\"recordedDate\":\"2020-05-03T09:00:00Z\","
                + "\"abatementDateTime\":\"2021-01-02T00:00:00Z\"}";
        return StoreResourceTest.insert("Condition", 40001, 90001, json, OffsetDateTime.parse("2020-05-01T08:30:00Z"),
                null, "clinical-status=" + CLINICAL + "|active", "encounter=|" + encounter,
                "onset-date=|2020-05-01T08:30:00.000000Z", "recorded-date=|2020-05-03T09:00:00.000000Z",
                "abatement-date=|2021-01-02T00:00:00.000000Z", "asserted-date=|2025-01-01T01:00:00.000000Z");
    }

    static java.util.Set<String> found(String query) {
        return FhirSearch.ids(Personas.peter(), "Condition?" + query);
    }

    static void refused(String query, String parameter) {
        given().auth().oauth2(Personas.peter()).when().get("/fhir/r5/Condition?" + query)
                .then().statusCode(400).body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].severity", equalTo("error"))
                .body("issue[0].diagnostics", containsString("Invalid value for " + parameter));
    }

    @Test
    void clinicalStatusMatchesItsCodeWithOrWithoutTheSystemAndRefusesACodeOutsideTheValueSet() {
        String encounter = "Encounter/e-" + UUID.randomUUID();
        String id = condition(encounter);
        String mine = "encounter=" + encounter + "&";

        assertThat(found(mine + "clinical-status=active")).containsExactly(id);
        assertThat(found(mine + "clinical-status=" + CLINICAL + "|active")).containsExactly(id);
        assertThat(found(mine + "clinical-status=resolved,active")).containsExactly(id);
        assertThat(found(mine + "clinical-status=resolved")).isEmpty();
        assertThat(found(mine + "clinical-status=http://example.org/other|active")).isEmpty();
        // the original's spelling with an underscore is the same parameter
        assertThat(found(mine + "clinical_status=active")).containsExactly(id);
        assertThat(found(mine + "clinical_status=resolved")).isEmpty();
        refused("clinical-status=bogus", "clinical-status");
        refused("clinical_status=bogus", "clinical-status");
    }

    @Test
    void encounterMatchesTheReferenceByIdRelativeOrAbsoluteAndRefusesAnotherType() {
        String key = "e-" + UUID.randomUUID();
        String id = condition("Encounter/" + key);

        assertThat(found("encounter=Encounter/" + key)).containsExactly(id);
        assertThat(found("encounter=" + key)).containsExactly(id);
        assertThat(found("encounter=https://ehr.example/fhir/Encounter/" + key)).containsExactly(id);
        assertThat(found("encounter=Encounter/x" + key)).isEmpty();
        refused("encounter=Patient/40001", "encounter");
        refused("encounter=Encounter/", "encounter");
        refused("encounter=Encounter/a$b", "encounter");
    }

    @Test
    void eachDateOfTheConditionMatchesAtItsPrecisionAndRefusesAMalformedValue() {
        String encounter = "Encounter/e-" + UUID.randomUUID();
        String id = condition(encounter);
        String mine = "encounter=" + encounter + "&";

        assertThat(found(mine + "onset-date=2020-05-01")).containsExactly(id);
        assertThat(found(mine + "onset-date=2020-05-01T08:30:00Z")).containsExactly(id);
        assertThat(found(mine + "onset-date=ge2020-06")).isEmpty();
        assertThat(found(mine + "onset_date=lt2021")).containsExactly(id);
        assertThat(found(mine + "recorded-date=eq2020-05-03")).containsExactly(id);
        assertThat(found(mine + "recorded-date=2020-05-04")).isEmpty();
        assertThat(found(mine + "abatement-date=gt2021-01-01")).containsExactly(id);
        assertThat(found(mine + "abatement-date=le2020")).isEmpty();
        // the same instant written with another offset
        assertThat(found(mine + "asserted-date=2024-12-31T23:00:00-02:00")).containsExactly(id);
        assertThat(found(mine + "asserted-date=2024-12-31")).isEmpty();
        // repeated parameters AND, commas OR
        assertThat(found(mine + "onset-date=ge2020&onset-date=lt2020-05-02")).containsExactly(id);
        assertThat(found(mine + "onset-date=ge2020&onset-date=lt2020-05-01")).isEmpty();
        assertThat(found(mine + "recorded-date=2019,2020")).containsExactly(id);
        assertThat(found(mine + "clinical-status=active&onset-date=lt2020")).isEmpty();
        for (String parameter : new String[] {"onset-date", "recorded-date", "abatement-date", "asserted-date"}) {
            refused(parameter + "=bogus", parameter);
            refused(parameter + "=ge2020-13-01", parameter);
        }
    }

    @Test
    void aPractitionerWithoutThePatientsConsentToConditionsFindsNone() {
        String encounter = "Encounter/e-" + UUID.randomUUID();
        condition(encounter);

        assertThat(FhirSearch.ids(Personas.mary(), "Condition?encounter=" + encounter + "&clinical-status=active"))
                .isEmpty();
        assertThat(FhirSearch.ids(Personas.pamela(), "Condition?encounter=" + encounter)).isEmpty();
    }
}
